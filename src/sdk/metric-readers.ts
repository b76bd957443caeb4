import {
  ConsoleMetricExporter,
  PeriodicExportingMetricReader,
  type IMetricReader,
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
 * the application alive. The Prometheus endpoint is unreferenced for the same reason.
 */
export function createMetricReaders(settings: SdkSettings): MetricReaders {
  const { metrics } = settings;
  const periodic = {
    exportIntervalMillis: metrics.intervalMs,
    exportTimeoutMillis: metrics.timeoutMs,
  };
  const result: MetricReaders = { readers: [] };
  for (const name of metrics.exporters) {
    if (name === 'prometheus') {
      result.prometheus = servePrometheus({ ...settings.prometheus, unref: true });
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
