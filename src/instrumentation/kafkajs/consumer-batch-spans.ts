import type { Context, Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { withCarriedBaggage, type CarriedContext } from '../carrier';
import type { MessageContextSource } from '../message-context';
import { failSpan } from '../spans';
import type { ConsumerScope, Placement } from './consumer-scope';

/**
 * Per-message `process` spans inside an `eachBatch` handler, children of the batch's `poll` span
 * and linked to each message's producer.
 *
 * KafkaJS hands the whole batch to the handler, so the only per-message boundary is the
 * application calling `resolveOffset(offset)`. A message's span starts when the message before
 * it was resolved (or with the handler, for the first), which is when sequential processing of
 * it began, and ends when its offset (or a later one) is resolved. Messages never resolved
 * explicitly end with the handler: with `eachBatchAutoResolve` that is where KafkaJS resolves
 * them. While a message's span is open, `messageContext(message)` returns it.
 */
export class BatchMessageSpans implements MessageContextSource {
  private next = 0;
  private current: Placement | undefined;
  private lastBoundary: number;
  private indexes: Map<object, number> | undefined;

  constructor(
    private readonly scope: ConsumerScope,
    private readonly topic: string,
    private readonly partition: number,
    private readonly messages: readonly KafkaMessage[],
    private readonly carried: readonly CarriedContext[],
    private readonly pollContext: Context,
  ) {
    this.lastBoundary = Date.now();
    this.current = this.place(0, this.lastBoundary);
  }

  /** The application resolved `offset`: every message up to it is processed. */
  resolved(offset: string) {
    const upTo = Number(offset);
    if (!Number.isFinite(upTo)) return;
    const now = Date.now();
    let ended = false;
    while (this.next < this.messages.length && Number(this.messages[this.next]!.offset) <= upTo) {
      this.endCurrent(undefined, now);
      ended = true;
    }
    if (!ended) return;
    this.lastBoundary = now;
    this.current = this.place(this.next, now);
  }

  /** The handler settled: the rest of the batch ends now, failed if the handler failed. */
  finish(error: unknown) {
    while (this.next < this.messages.length) this.endCurrent(error, undefined);
  }

  /** The context of a message of this batch: its span while open, else the poll span. */
  contextOf(message: object): Context {
    this.indexes ??= new Map(this.messages.map((m, index) => [m, index]));
    const index = this.indexes.get(message);
    if (index === undefined) return this.pollContext;
    if (index === this.next && this.current?.context) return this.current.context;
    return withCarriedBaggage(this.pollContext, this.carried[index]!.context);
  }

  private endCurrent(error: unknown, endTime: number | undefined) {
    const placement = this.current ?? this.place(this.next, this.lastBoundary);
    this.current = undefined;
    const span: Span | undefined = placement?.span;
    if (span) {
      if (error !== undefined) failSpan(span, error);
      span.end(endTime);
    }
    this.next++;
  }

  private place(index: number, startTime: number): Placement | undefined {
    const message = this.messages[index];
    if (message === undefined) return undefined;
    // In a batch the poll span is the parent; each message links to its producer.
    const placement = this.scope.placeProcess(
      this.topic,
      this.partition,
      message,
      this.pollContext,
      this.carried[index]!,
      false,
      startTime,
    );
    return placement.context ? placement : { span: placement.span, context: this.pollContext };
  }
}
