import type { Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { failSpan } from './span-failure';

/** Starts the `process` span of message `index` of the batch at `startTime` (epoch ms). */
export type StartMessageSpan = (index: number, startTime: number) => Span;

/**
 * Per-message `process` spans inside an `eachBatch` handler.
 *
 * KafkaJS hands the whole batch to the handler, so the only per-message boundary is the
 * application calling `resolveOffset(offset)`: a message's span ends when its offset (or a later
 * one) is resolved, and starts when the message before it was resolved, which is when sequential
 * processing of it began. Messages never resolved explicitly end with the handler: with
 * `eachBatchAutoResolve` that is where KafkaJS resolves them.
 */
export class BatchMessageSpans {
  private next = 0;
  private lastBoundary: number;

  constructor(
    private readonly messages: readonly KafkaMessage[],
    private readonly start: StartMessageSpan,
    startedAt: number,
  ) {
    this.lastBoundary = startedAt;
  }

  /** The application resolved `offset`: every message up to it is processed. */
  resolved(offset: string) {
    const upTo = Number(offset);
    if (!Number.isFinite(upTo)) return;
    const now = Date.now();
    while (this.next < this.messages.length && Number(this.messages[this.next]!.offset) <= upTo) {
      this.start(this.next, this.lastBoundary).end(now);
      this.next++;
    }
    this.lastBoundary = now;
  }

  /** The handler settled: the rest of the batch ends now, failed if the handler failed. */
  finish(error: unknown) {
    for (; this.next < this.messages.length; this.next++) {
      const span = this.start(this.next, this.lastBoundary);
      if (error !== undefined) failSpan(span, error);
      span.end();
    }
  }
}
