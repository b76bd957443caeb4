import {
  ConsoleMetricExporter,
  PeriodicExportingMetricReader,
  type IMetricReader,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { createOtlpMetricExporter } from './otlp-exporters';
import { servePrometheus, type PrometheusEndpoint } from './prometheus-endpoint';
import type { SdkSettings } from '../config/sdk-settings';

/** The metric readers of OTEL_METRICS_EXPORTER, and the Prometheus endpoint if one was asked for. */
export interface MetricReaders {
  readers: IMetricReader[];
  prometheus?: PrometheusEndpoint;
}

/**
 * One reader per OTEL_METRICS_EXPORTER entry. Push readers export every
 * OTEL_METRIC_EXPORT_INTERVAL ms; their timers are unreferenced by the SDK, so they never keep
 * the application alive. The Prometheus endpoint is unreferenced for the same reason. Every
 * reader also exports what `metricProducers` produce (the cluster collector).
 */
export function createMetricReaders(
  settings: SdkSettings,
  metricProducers: MetricProducer[] = [],
): MetricReaders {
  const { metrics } = settings;
  const periodic = {
    exportIntervalMillis: metrics.intervalMs,
    exportTimeoutMillis: metrics.timeoutMs,
    metricProducers,
  };
  const result: MetricReaders = { readers: [] };
  for (const name of metrics.exporters) {
    if (name === 'prometheus') {
      result.prometheus = servePrometheus({ ...settings.prometheus, unref: true, metricProducers });
      result.readers.push(result.prometheus.reader);
    } else if (name === 'console') {
      result.readers.push(
        new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), ...periodic }),
      );
    } else {
      result.readers.push(
        new PeriodicExportingMetricReader({
          exporter: createOtlpMetricExporter(metrics.otlp),
          ...periodic,
        }),
      );
    }
  }
  return result;
}
