import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { Transaction } from 'kafkajs';

import type { ClientInfo, Telemetry } from './internal-types';
import type { AttributeCache } from './message-attributes';

import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  OPERATION_TYPE_SETTLE,
} from './semconv';

import { failSpan } from './span-failure';

import { baseAttributes, isRecordShape, observeSend } from './producer-send';

/** A `transaction` span parents every send of the transaction and ends on commit or abort. */
export function instrumentTransaction(
  txn: Transaction,
  telemetry: Telemetry,
  client: ClientInfo,
  metricAttributes: AttributeCache,
) {
  const parent = context.active();
  const span = telemetry.tracer.startSpan(
    'transaction',
    { kind: SpanKind.INTERNAL, attributes: baseAttributes(client) },
    parent,
  );
  const inTransaction = trace.setSpan(parent, span);
  const { send, sendBatch, sendOffsets, commit, abort } = txn;

  txn.send = function transactionalSend(this: unknown, record) {
    if (!isRecordShape(record)) return send.call(this, record);
    return observeSend(telemetry, client, metricAttributes, inTransaction, [record], ([only]) =>
      send.call(this, { ...record, messages: only!.messages }),
    );
  };
  txn.sendBatch = function transactionalSendBatch(this: unknown, batch) {
    const topicMessages = batch?.topicMessages;
    if (!Array.isArray(topicMessages) || !topicMessages.every(isRecordShape)) {
      return sendBatch.call(this, batch);
    }
    return observeSend(telemetry, client, metricAttributes, inTransaction, topicMessages, (sent) =>
      sendBatch.call(this, { ...batch, topicMessages: sent }),
    );
  };
  txn.sendOffsets = function transactionalSendOffsets(this: unknown, offsets) {
    const child = telemetry.tracer.startSpan(
      'send_offsets',
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...baseAttributes(client),
          [ATTR_MESSAGING_OPERATION_NAME]: 'send_offsets',
          [ATTR_MESSAGING_OPERATION_TYPE]: OPERATION_TYPE_SETTLE,
          [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: offsets?.consumerGroupId,
        },
      },
      inTransaction,
    );
    return settleSpan(child, sendOffsets.call(this, offsets));
  };
  const finish = (outcome: 'commit' | 'abort', original: () => Promise<void>) =>
    function endTransaction(this: unknown) {
      span.setAttribute('kafka.transaction.outcome', outcome);
      return settleSpan(span, original.call(this));
    };
  txn.commit = finish('commit', commit);
  txn.abort = finish('abort', abort);
}

/** Ends `span` when `promise` settles, with ERROR status on rejection; the outcome passes through unchanged. */
function settleSpan<T>(span: Span, promise: Promise<T>): Promise<T> {
  return promise.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      failSpan(span, error);
      span.end();
      throw error;
    },
  );
}
