/**
 * The `transaction` span of Confluent's KafkaJS-API producer. Its `transaction()` resolves to the
 * producer itself (one transaction at a time per producer), so the open transaction is state of
 * the producer: from `transaction()` to `commit()` or `abort()`, its span is the parent of every
 * send and `sendOffsets` of that producer, which are all part of it. Outcome and failure rules are
 * those of the KafkaJS instrumentation's transaction span.
 */
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { ClientIdentity } from '../client-identity';
import { ATTR_KAFKA_TRANSACTION_OUTCOME } from '../semconv';
import { safely, settle } from '../settle';
import { clientAttributes, failSpan, startAttributes } from '../spans';
import type { ConfluentTelemetry } from './confluent-telemetry';

/** An open transaction: its span, and the first failure of an operation inside it. */
interface OpenTransaction {
  span: Span;
  context: Context;
  failure: unknown;
}

export class ProducerTransactions {
  private open: OpenTransaction | undefined;

  constructor(
    private readonly telemetry: ConfluentTelemetry,
    private readonly client: ClientIdentity,
  ) {}

  /** The parent of the producer's sends while a transaction is open. */
  get context(): Context | undefined {
    return this.open?.context;
  }

  /** `transaction()`: the span starts; it ends here only when beginning fails. */
  begin<T>(invoke: () => Promise<T>): Promise<T> {
    const { tracer, diag } = this.telemetry;
    const parent = context.active();
    const span = tracer.startSpan(
      'transaction',
      { kind: SpanKind.INTERNAL, attributes: clientAttributes(this.client) },
      parent,
    );
    return settle(diag, 'transaction', invoke, (error) => {
      if (error !== undefined) {
        failSpan(span, error);
        span.end();
        return;
      }
      this.open?.span.end();
      this.open = { span, context: trace.setSpan(parent, span), failure: undefined };
    });
  }

  /** An operation inside the open transaction failed: an abort after it is a failure. */
  noteFailure(error: unknown) {
    if (error !== undefined && this.open) this.open.failure ??= error;
  }

  /** `sendOffsets` of the open transaction: a `send_offsets` span (with the consumer's group). */
  sendOffsets<T>(group: string | undefined, invoke: () => Promise<T>): Promise<T> {
    const { tracer, diag, settings } = this.telemetry;
    let child: Span | undefined;
    safely(diag, 'sendOffsets', () => {
      const attributes = startAttributes(
        this.client,
        { operation: 'send_offsets', group },
        settings.legacyAttributes,
      );
      child = tracer.startSpan(
        'send_offsets',
        { kind: SpanKind.INTERNAL, attributes },
        this.open?.context ?? context.active(),
      );
    });
    return settle(diag, 'sendOffsets', invoke, (error) => {
      this.noteFailure(error);
      if (!child) return;
      if (error !== undefined) failSpan(child, error);
      child.end();
    });
  }

  /** `commit()` or `abort()`: the transaction span ends with its outcome. */
  end<T>(outcome: 'commit' | 'abort', invoke: () => Promise<T>): Promise<T> {
    const open = this.open;
    return settle(this.telemetry.diag, 'transaction', invoke, (error) => {
      if (!open) return;
      if (this.open === open) this.open = undefined;
      open.span.setAttribute(ATTR_KAFKA_TRANSACTION_OUTCOME, outcome);
      const failure = error ?? (outcome === 'abort' ? open.failure : undefined);
      if (failure !== undefined) failSpan(open.span, failure);
      open.span.end();
    });
  }
}
