import type {
  ConfluentKafkaInstrumentationConfig,
  KafkaJsInstrumentationConfig,
} from '../instrumentation/types';
import type { EnvReader } from './env-reader';
import { otlpEndpoint, otlpProtocol, type OtlpProtocol } from './otlp-endpoint';
import {
  parseNonNegativeInteger,
  InvalidValue,
  parseBoolean,
  parseChoice,
  parsePort,
  parsePositiveInteger,
  parseRatio,
} from './value-parsers';

/** Values of OTEL_TRACES_EXPORTER this package supports. */
export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
/** Values of OTEL_METRICS_EXPORTER this package supports. */
export const METRICS_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'] as const;
/** Values of OTEL_TRACES_SAMPLER this package supports (all of the spec's built-in ones). */
export const SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
/** Instrumentations `register` enables, by the names OTEL_NODE_DISABLED_INSTRUMENTATIONS uses. */
export const INSTRUMENTATIONS = ['http', 'kafkajs', 'confluent-kafka', 'runtime-node'] as const;
/** Values of OTEL_LOG_LEVEL (case-insensitive), as @opentelemetry/core reads them. */
export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;

export type TracesExporterName = Exclude<(typeof TRACES_EXPORTERS)[number], 'none'>;
export type MetricsExporterName = Exclude<(typeof METRICS_EXPORTERS)[number], 'none'>;
export type SamplerName = (typeof SAMPLERS)[number];
export type InstrumentationName = (typeof INSTRUMENTATIONS)[number];

/** Where and how one signal goes over OTLP. */
export interface OtlpSettings {
  protocol: OtlpProtocol;
  url: string;
}

/** OTEL_BSP_* values; undefined leaves the SDK's default. */
export interface BatchSettings {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

/** Everything `register` configures, read from the environment and already validated. */
export interface SdkSettings {
  traces: { exporters: TracesExporterName[]; otlp: OtlpSettings; batch: BatchSettings };
  metrics: {
    exporters: MetricsExporterName[];
    otlp: OtlpSettings;
    intervalMs: number;
    timeoutMs: number;
  };
  /** Where the Prometheus endpoint listens; host undefined means every interface. */
  prometheus: { host: string | undefined; port: number };
  sampler: { name: SamplerName; ratio: number };
  /** Instrumentations to enable. */
  instrumentations: InstrumentationName[];
  /** KafkaJsInstrumentation options from KAFKA_OTEL_* variables. */
  kafkajs: KafkaJsInstrumentationConfig;
  /**
   * ConfluentKafkaInstrumentation options: the same as KafkaJS's (one set of switches for both
   * clients), and librdkafka's statistics interval.
   */
  confluent: ConfluentKafkaInstrumentationConfig;
}

const DEFAULT_METRIC_INTERVAL_MS = 60_000;
const DEFAULT_METRIC_TIMEOUT_MS = 30_000;
const DEFAULT_PROMETHEUS_PORT = 9464;

/** OTEL_SDK_DISABLED=true: nothing is started and nothing is patched. */
export function isSdkDisabled(reader: EnvReader): boolean {
  return reader.parsed('OTEL_SDK_DISABLED', parseBoolean, false);
}

/** Reads and validates every variable `register` understands; warns through the reader. */
export function readSdkSettings(reader: EnvReader): SdkSettings {
  // Validated here only: NodeSDK installs the console diag logger from OTEL_LOG_LEVEL itself,
  // and its resource detector reads OTEL_RESOURCE_ATTRIBUTES (dropping all of it, silently,
  // when one entry is malformed).
  reader.parsed('OTEL_LOG_LEVEL', (t) => parseChoice(t, LOG_LEVELS), undefined, 'using info');
  reader.parsed(
    'OTEL_RESOURCE_ATTRIBUTES',
    checkResourceAttributes,
    undefined,
    'the SDK ignores all of its attributes',
  );
  const tracesProtocol = otlpProtocol(reader, 'traces');
  const metricsProtocol = otlpProtocol(reader, 'metrics');
  const intervalMs = reader.parsed(
    'OTEL_METRIC_EXPORT_INTERVAL',
    parsePositiveInteger,
    DEFAULT_METRIC_INTERVAL_MS,
  );
  const timeoutMs = reader.parsed(
    'OTEL_METRIC_EXPORT_TIMEOUT',
    parsePositiveInteger,
    DEFAULT_METRIC_TIMEOUT_MS,
  );
  return {
    traces: {
      exporters: exporters(reader, 'OTEL_TRACES_EXPORTER', TRACES_EXPORTERS),
      otlp: { protocol: tracesProtocol, url: otlpEndpoint(reader, 'traces', tracesProtocol) },
      batch: readBatchSettings(reader),
    },
    metrics: {
      exporters: exporters(reader, 'OTEL_METRICS_EXPORTER', METRICS_EXPORTERS),
      otlp: { protocol: metricsProtocol, url: otlpEndpoint(reader, 'metrics', metricsProtocol) },
      intervalMs,
      // The SDK requires timeout <= interval; a short interval alone should just work.
      timeoutMs: Math.min(timeoutMs, intervalMs),
    },
    prometheus: {
      host: reader.string('OTEL_EXPORTER_PROMETHEUS_HOST'),
      port: reader.parsed(
        'OTEL_EXPORTER_PROMETHEUS_PORT',
        (t) => parsePort(t),
        DEFAULT_PROMETHEUS_PORT,
      ),
    },
    sampler: readSampler(reader),
    instrumentations: readInstrumentations(reader),
    kafkajs: readKafkaJsConfig(reader),
    confluent: readConfluentConfig(reader),
  };
}

/**
 * An exporter list: unknown names are dropped with a warning, `none` alone means no exporter,
 * and the spec's default `otlp` applies when the variable is unset or names nothing usable.
 */
function exporters<T extends string>(
  reader: EnvReader,
  name: string,
  allowed: readonly T[],
): Exclude<T, 'none'>[] {
  const words = reader.words(name, allowed, ['otlp' as T]);
  return words.filter((w): w is Exclude<T, 'none'> => w !== 'none');
}

/** The format the SDK's env detector accepts: `key=value[,key=value]`, percent-encoded. */
function checkResourceAttributes(text: string): true {
  for (const entry of text.split(',').filter((e) => e.trim() !== '')) {
    const pair = entry.split('=');
    if (pair.length !== 2 || pair[0]!.trim() === '') {
      throw new InvalidValue(`'${entry}' is not key=value (',' and '=' must be percent-encoded)`);
    }
    try {
      decodeURIComponent(pair[0]!);
      decodeURIComponent(pair[1]!);
    } catch {
      throw new InvalidValue(`'${entry}' is not valid percent-encoding`);
    }
  }
  return true;
}

function readSampler(reader: EnvReader): SdkSettings['sampler'] {
  const name = reader.parsed(
    'OTEL_TRACES_SAMPLER',
    (t) => parseChoice(t, SAMPLERS),
    'parentbased_always_on',
  );
  // The argument only means something to the ratio samplers; elsewhere it is ignored unread.
  const ratio = name.endsWith('traceidratio')
    ? reader.parsed('OTEL_TRACES_SAMPLER_ARG', parseRatio, 1)
    : 1;
  return { name, ratio };
}

function readBatchSettings(reader: EnvReader): BatchSettings {
  const read = (name: string) =>
    reader.parsed(name, parsePositiveInteger, undefined, "using the SDK's default");
  return {
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT'),
    maxQueueSize: read('OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  };
}

function readInstrumentations(reader: EnvReader): InstrumentationName[] {
  const disabled = reader.words('OTEL_NODE_DISABLED_INSTRUMENTATIONS', INSTRUMENTATIONS, []);
  return INSTRUMENTATIONS.filter((name) => !disabled.includes(name));
}

/** The KafkaJS switches, and KAFKA_OTEL_STATISTICS_INTERVAL (ms, 0 leaves clients as configured). */
function readConfluentConfig(reader: EnvReader): ConfluentKafkaInstrumentationConfig {
  const interval = reader.parsed(
    'KAFKA_OTEL_STATISTICS_INTERVAL',
    parseNonNegativeInteger,
    undefined,
    'using 5000',
  );
  const config: ConfluentKafkaInstrumentationConfig = { ...readKafkaJsConfig(reader) };
  if (interval !== undefined) config.statisticsIntervalMs = interval;
  return config;
}

/** KAFKA_OTEL_* switches of KafkaJsInstrumentation; unset ones keep the instrumentation's default. */
function readKafkaJsConfig(reader: EnvReader): KafkaJsInstrumentationConfig {
  const flag = (name: string) => reader.parsed(name, parseBoolean, undefined, 'using the default');
  const config: KafkaJsInstrumentationConfig = {
    producerSpanMode: reader.parsed(
      'KAFKA_OTEL_PRODUCER_SPAN_MODE',
      (t) => parseChoice(t, ['message', 'call'] as const),
      undefined,
      'using message',
    ),
    consumerContextRelation: reader.parsed(
      'KAFKA_OTEL_CONSUMER_CONTEXT',
      (t) => parseChoice(t, ['parent', 'link'] as const),
      undefined,
      'using parent',
    ),
    captureMessageKey: flag('KAFKA_OTEL_CAPTURE_MESSAGE_KEY'),
    emitLegacyKafkaAttributes: flag('KAFKA_OTEL_LEGACY_ATTRIBUTES'),
    metricPartitionAttribute: flag('KAFKA_OTEL_METRIC_PARTITION_ATTRIBUTE'),
    batchMessageSpans: flag('KAFKA_OTEL_BATCH_MESSAGE_SPANS'),
    requestSpans: flag('KAFKA_OTEL_REQUEST_SPANS'),
  };
  // Leave unset keys out so the instrumentation's own defaults apply.
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}
