import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * The end of the `traces` and `contrib` pipelines: counts the spans a BatchSpanProcessor hands
 * over and drops them, so the bench pays for span creation and batching but not for encoding or
 * network I/O, which would depend on the exporter chosen rather than on the instrumentation.
 */
export class CountingSpanExporter implements SpanExporter {
  exported = 0;

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exported += spans.length;
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}
