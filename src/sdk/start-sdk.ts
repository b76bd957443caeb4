import { diag } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { KafkaCollectors } from '../collectors/kafka-collectors';
import {
  collectorRequested,
  readCollectorSettings,
  readConnectJmxSettings,
} from '../config/in-process-collector-options';
import { EnvReader, type Environment, type WarningSink } from '../config/env-reader';
import { createInstrumentations } from './instrumentations';
import { LateMetricProducer } from './late-metric-producer';
import { createMetricReaders } from './metric-readers';
import { createSampler } from './sampler';
import { isSdkDisabled, readSdkSettings } from '../config/sdk-settings';
import { createSpanProcessors } from './span-processors';

/** The telemetry `register` started: what its exit handling needs. */
export interface RunningTelemetry {
  /** Exports what is buffered (spans, metrics) and keeps running. */
  forceFlush(): Promise<void>;
  /** Exports what is buffered, then stops exporters, the Prometheus endpoint and the collector. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry Node SDK from OTEL_* and KAFKA_OTEL_* variables: the KafkaJS, HTTP
 * and Node runtime instrumentations, the span processors of OTEL_TRACES_EXPORTER, the metric
 * readers of OTEL_METRICS_EXPORTER, the sampler, and the in-process cluster collector when
 * KAFKA_OTEL_COLLECT_BROKERS is set. Every component is built here from validated settings,
 * so an invalid value yields one warning and a default; NodeSDK then adds what it does well
 * (resource detection from OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, W3C propagators,
 * the context manager, OTEL_LOG_LEVEL, OTEL_LOGS_EXPORTER).
 *
 * Returns undefined when OTEL_SDK_DISABLED is true. May throw if the SDK itself fails; the
 * caller decides how a failure reaches the user.
 */
export function startSdkFromEnv(env: Environment, warn: WarningSink): RunningTelemetry | undefined {
  const reader = new EnvReader(env, warn);
  if (isSdkDisabled(reader)) return undefined;
  const settings = readSdkSettings(reader);
  // The readers take the collector as a metric producer, but the collector is built after the
  // SDK started: its settings may load a user's module (an OAUTHBEARER token provider), and
  // whatever that module requires (KafkaJS, an HTTP client) must load after the
  // instrumentations are on, or it stays unpatched for the application too.
  const lateCollector = collectorRequested(reader) ? new LateMetricProducer() : undefined;
  const metricReaders = createMetricReaders(settings, lateCollector ? [lateCollector] : []);
  const spanProcessors = createSpanProcessors(settings.traces);
  const { prometheus } = metricReaders;
  const sdk = new NodeSDK({
    instrumentations: createInstrumentations(
      settings,
      prometheus ? settings.prometheus.port : undefined,
    ),
    metricReaders: metricReaders.readers,
    spanProcessors,
    sampler: createSampler(settings.sampler),
  });
  sdk.start();
  prometheus?.listening.catch((error: Error) => {
    const where = `${settings.prometheus.host ?? '*'}:${settings.prometheus.port}`;
    warn(
      `cannot serve Prometheus metrics on ${where} (${error.message}); metrics are not exported`,
    );
  });
  const collector = lateCollector ? createCollector(reader, warn) : undefined;
  if (lateCollector && collector) lateCollector.attach(collector.start());
  return {
    async forceFlush() {
      await Promise.all([
        ...spanProcessors.map((p) => p.forceFlush()),
        ...metricReaders.readers.map((r) => r.forceFlush()),
      ]);
    },
    async shutdown() {
      // The SDK first: its last metric export still reads the collector.
      await sdk.shutdown();
      await Promise.all([collector?.stop(), prometheus?.close()]);
    },
  };
}

/**
 * The in-process collectors, when KAFKA_OTEL_COLLECT_BROKERS asks for them, built once the
 * instrumentations are enabled: the cluster's, and Kafka Connect's and the brokers' JMX when
 * their URLs are set. Their modules are required only when wanted; the cluster collector loads
 * KafkaJS internals on its first collection.
 */
function createCollector(reader: EnvReader, warn: WarningSink): KafkaCollectors | undefined {
  try {
    const options = readCollectorSettings(reader);
    if (options === undefined) return undefined;
    const { connect, brokerJmx } = readConnectJmxSettings(reader);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('../collectors/kafka-collectors') as {
      KafkaCollectors: typeof KafkaCollectors;
    };
    // In an application, the collectors must never be what keeps the process running; their
    // outage lines go to stderr like register's other warnings (the diag logger is silent
    // unless OTEL_LOG_LEVEL is set, and `up` 0 alone would go unnoticed). They share the
    // cluster collector's snapshot timing.
    const shared = {
      keepProcessAlive: false,
      warn,
      ...(options.minSnapshotIntervalMs === undefined
        ? {}
        : { minSnapshotIntervalMs: options.minSnapshotIntervalMs }),
    };
    return new loaded.KafkaCollectors({
      cluster: { ...options, keepProcessAlive: false, warn },
      ...(connect ? { connect: { ...connect, ...shared } } : {}),
      ...(brokerJmx ? { brokerJmx: { ...brokerJmx, ...shared } } : {}),
    });
  } catch (error) {
    warn(`the cluster collector is not started: ${(error as Error).message}`);
    diag.error('kafka-otel: cluster collector failed to start', error);
    return undefined;
  }
}
