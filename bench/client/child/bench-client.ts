/**
 * The part of a Kafka client the scenarios drive, so that the same scenario code (the same
 * window, handlers and delivery checks) runs on KafkaJS and on `@confluentinc/kafka-javascript`.
 * Each adapter forwards calls as they are: one call per `send` or per `run`, never one per
 * message, and the handlers reach the client unwrapped.
 */

export interface OutgoingMessage {
  key: string;
  value: Buffer;
}

export interface BenchProducer {
  /** Resolves once every message of the call is acknowledged. */
  send(topic: string, messages: OutgoingMessage[]): Promise<unknown>;
  disconnect(): Promise<void>;
}

/** What the handlers read of a delivery; both clients hand over (much) more. */
export interface ConsumeHandlers {
  eachMessage?: (payload: { partition: number; message: { offset: string } }) => Promise<void>;
  eachBatch?: (payload: {
    batch: { partition: number; messages: { offset: string }[] };
    resolveOffset(offset: string): void;
    heartbeat(): Promise<void>;
  }) => Promise<void>;
}

export interface BenchConsumer {
  connect(): Promise<void>;
  /** Subscribes to `topic`, to be read from its beginning (the group is new). */
  subscribe(topic: string): Promise<void>;
  run(handlers: ConsumeHandlers): Promise<void>;
  disconnect(): Promise<void>;
}

export interface BenchClient {
  /** A connected producer configured as the produce scenario wants it (idempotent, acks=all). */
  connectProducer(): Promise<BenchProducer>;
  /**
   * A consumer of a new group, not yet connected; `onCrash` hears of the client giving up on it
   * (KafkaJS's crash event; the Confluent client has none: it retries).
   */
  consumer(groupId: string, onCrash: (error: Error) => void): BenchConsumer;
}
