import { count, secondsFromMicroseconds, text, type JsonObject } from './statistics-values';

export type LibrdkafkaClientType = 'producer' | 'consumer';

/** The client as a whole, from the top-level fields of a statistics document. */
export interface ClientReadings {
  readonly type: LibrdkafkaClientType;
  /** librdkafka's handle name (`name`), such as `rdkafka#producer-1`: unique in the process. */
  readonly name: string;
  /** The configured `client.id` (`client_id`). */
  readonly clientId: string | undefined;
  /** Wall-clock time of the document, whole seconds since the epoch (`time`). */
  readonly unixTimeSeconds: number | undefined;
  /** Time since the client was created (`age`, µs in librdkafka). */
  readonly ageSeconds: number | undefined;
  /** Messages and bytes in the producer queues now (`msg_cnt`, `msg_size`); 0 for consumers. */
  readonly producerQueueMessages: number | undefined;
  readonly producerQueueBytes: number | undefined;
  /** The producer queue limits (`msg_max`, `msg_size_max`); 0 for consumers. */
  readonly producerQueueMaxMessages: number | undefined;
  readonly producerQueueMaxBytes: number | undefined;
  /** Totals over every broker connection since the client started: `tx`, `tx_bytes`, `rx`, `rx_bytes`. */
  readonly requestsSent: number | undefined;
  readonly requestBytesSent: number | undefined;
  readonly responsesReceived: number | undefined;
  readonly responseBytesReceived: number | undefined;
  /** Messages produced and their bytes, batch framing included (`txmsgs`, `txmsg_bytes`). */
  readonly messagesSent: number | undefined;
  readonly messageBytesSent: number | undefined;
  /** Messages consumed and their bytes, framing included (`rxmsgs`, `rxmsg_bytes`). */
  readonly messagesReceived: number | undefined;
  readonly messageBytesReceived: number | undefined;
}

/** The top-level readings; `type` and `name` were checked by the caller, they identify the client. */
export function readClient(
  document: JsonObject,
  type: LibrdkafkaClientType,
  name: string,
): ClientReadings {
  return {
    type,
    name,
    clientId: text(document.client_id),
    unixTimeSeconds: count(document.time),
    ageSeconds: secondsFromMicroseconds(document.age),
    producerQueueMessages: count(document.msg_cnt),
    producerQueueBytes: count(document.msg_size),
    producerQueueMaxMessages: count(document.msg_max),
    producerQueueMaxBytes: count(document.msg_size_max),
    requestsSent: count(document.tx),
    requestBytesSent: count(document.tx_bytes),
    responsesReceived: count(document.rx),
    responseBytesReceived: count(document.rx_bytes),
    messagesSent: count(document.txmsgs),
    messageBytesSent: count(document.txmsg_bytes),
    messagesReceived: count(document.rxmsgs),
    messageBytesReceived: count(document.rxmsg_bytes),
  };
}
