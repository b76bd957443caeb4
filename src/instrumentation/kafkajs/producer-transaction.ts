import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { Transaction } from 'kafkajs';
import type { ClientIdentity } from '../client-identity';
import { safely, settle } from '../settle';
import { clientAttributes, failSpan, startAttributes } from '../spans';
import { ATTR_KAFKA_TRANSACTION_OUTCOME } from '../semconv';
import type { KafkaJsTelemetry } from './kafkajs-telemetry';
import type { ProducerSends } from './producer';

/** What a transaction span learns while the transaction runs. */
interface TransactionState {
  span: Span;
  context: Context;
  /** The first error of an operation inside the transaction: an abort after it is a failure. */
  failure: unknown;
}

/**
 * A `transaction` span from `producer.transaction()` to commit or abort, parent of every send
 * and `sendOffsets` inside it. It fails when `transaction()` itself rejects, when commit or abort
 * rejects, and when the transaction is aborted after an operation in it failed; a committed
 * transaction, or one the application aborts by choice, leaves the status unset.
 */
export function instrumentTransaction(
  telemetry: KafkaJsTelemetry,
  client: ClientIdentity,
  sends: ProducerSends,
  begin: () => Promise<Transaction>,
): Promise<Transaction> {
  const parent = context.active();
  const span = telemetry.tracer.startSpan(
    'transaction',
    { kind: SpanKind.INTERNAL, attributes: clientAttributes(client) },
    parent,
  );
  const state: TransactionState = {
    span,
    context: trace.setSpan(parent, span),
    failure: undefined,
  };
  return settle(telemetry.diag, 'transaction', begin, (error, txn) => {
    if (error !== undefined) {
      failSpan(span, error);
      span.end();
    } else if (txn) {
      wrapTransaction(txn, telemetry, client, sends, state);
    }
  });
}

function wrapTransaction(
  txn: Transaction,
  telemetry: KafkaJsTelemetry,
  client: ClientIdentity,
  sends: ProducerSends,
  state: TransactionState,
) {
  const { diag } = telemetry;
  const { send, sendBatch, sendOffsets, commit, abort } = txn;
  const noteFailure = (error: unknown) => {
    if (error !== undefined) state.failure ??= error;
  };

  txn.send = function transactionalSend(this: unknown, record) {
    const observed = () => sends.send(state.context, record, (sent) => send.call(this, sent));
    return settle(diag, 'transaction', observed, noteFailure);
  };

  txn.sendBatch = function transactionalSendBatch(this: unknown, batch) {
    const observed = () =>
      sends.sendBatch(state.context, batch, (sent) => sendBatch.call(this, sent));
    return settle(diag, 'transaction', observed, noteFailure);
  };

  txn.sendOffsets = function transactionalSendOffsets(this: unknown, offsets) {
    let child: Span | undefined;
    safely(diag, 'sendOffsets', () => {
      const group = offsets?.consumerGroupId;
      const attributes = startAttributes(
        client,
        { operation: 'send_offsets', group: typeof group === 'string' ? group : undefined },
        telemetry.settings.legacyAttributes,
      );
      child = telemetry.tracer.startSpan(
        'send_offsets',
        { kind: SpanKind.INTERNAL, attributes },
        state.context,
      );
    });
    return settle(
      diag,
      'sendOffsets',
      () => sendOffsets.call(this, offsets),
      (error) => {
        noteFailure(error);
        if (!child) return;
        if (error !== undefined) failSpan(child, error);
        child.end();
      },
    );
  };

  const end = (outcome: 'commit' | 'abort', original: () => Promise<void>) =>
    function endTransaction(this: unknown) {
      return settle(
        diag,
        'transaction',
        () => original.call(this),
        (error) => {
          const { span } = state;
          span.setAttribute(ATTR_KAFKA_TRANSACTION_OUTCOME, outcome);
          const failure = error ?? (outcome === 'abort' ? state.failure : undefined);
          if (failure !== undefined) failSpan(span, failure);
          span.end();
        },
      );
    };
  txn.commit = end('commit', commit);
  txn.abort = end('abort', abort);
}
