import type { Producer } from 'kafkajs';

import type { ClientInfo, Telemetry } from './internal-types';
import { AttributeCache } from './message-attributes';

import { markInstrumented, safely } from './patch-support';

import { isRecordShape, observeSend } from './producer-send';
import { instrumentTransaction } from './transaction-patch';

/**
 * Wraps `send`, `sendBatch` and `transaction` of one KafkaJS producer in place. The producer
 * object is KafkaJS's, not the application's; the application's records and messages are never
 * touched: messages that get trace headers are shallow copies with a copied header object.
 */
export function instrumentProducer(producer: Producer, telemetry: Telemetry, client: ClientInfo) {
  if (!markInstrumented(producer)) return;
  const metricAttributes = new AttributeCache();
  const { send, sendBatch, transaction } = producer;

  producer.send = function instrumentedSend(this: unknown, record) {
    if (!telemetry.isEnabled() || !isRecordShape(record)) return send.call(this, record);
    return observeSend(telemetry, client, metricAttributes, undefined, [record], ([only]) =>
      send.call(this, { ...record, messages: only!.messages }),
    );
  };

  producer.sendBatch = function instrumentedSendBatch(this: unknown, batch) {
    const topicMessages = batch?.topicMessages;
    if (
      !telemetry.isEnabled() ||
      !Array.isArray(topicMessages) ||
      !topicMessages.every(isRecordShape)
    ) {
      return sendBatch.call(this, batch);
    }
    return observeSend(telemetry, client, metricAttributes, undefined, topicMessages, (sent) =>
      sendBatch.call(this, { ...batch, topicMessages: sent }),
    );
  };

  producer.transaction = async function instrumentedTransaction(this: unknown) {
    const txn = await transaction.call(this);
    if (telemetry.isEnabled()) {
      safely(telemetry, 'transaction', () =>
        instrumentTransaction(txn, telemetry, client, metricAttributes),
      );
    }
    return txn;
  };
}
