import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { createOtlpSpanExporter } from './otlp-exporters';
import type { SdkSettings } from '../config/sdk-settings';

/**
 * One processor per OTEL_TRACES_EXPORTER entry: OTLP goes through a batch processor tuned by
 * OTEL_BSP_*, the console exporter through a simple one so each span prints when it ends.
 */
export function createSpanProcessors(traces: SdkSettings['traces']): SpanProcessor[] {
  return traces.exporters.map((name) =>
    name === 'console'
      ? new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })
      : new BatchSpanProcessor({ exporter: createOtlpSpanExporter(traces.otlp), ...traces.batch }),
  );
}
