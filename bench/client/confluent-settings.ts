/**
 * How the Confluent variants configure `@confluentinc/kafka-javascript`: the same in all three,
 * written here once so the child uses them and the report states them.
 *
 * librdkafka batches on a thread of its own, after a `linger.ms` wait (5 ms by default). The
 * produce scenario awaits each `send` of 100 messages before the next, as the KafkaJS one does;
 * with a linger the window would be mostly that timer, and the instrumentation's cost would hide
 * behind it (enqueueing 100 traced messages takes about as long as the default wait). With
 * `linger.ms` 0 librdkafka sends as soon as its thread finds messages queued, so the window is a
 * chain of produce calls, requests and delivery reports, like KafkaJS's one request per `send`.
 * The rest pins librdkafka's defaults the results depend on, so a newer release changing one
 * cannot change the figures unnoticed, and the in-flight limit at the 5 idempotence allows.
 */
export const CONFLUENT_PRODUCER_PROPERTIES = {
  'linger.ms': 0,
  'batch.num.messages': 10_000,
  'batch.size': 1_000_000,
  'max.in.flight.requests.per.connection': 5,
  'compression.codec': 'none',
} as const;

/**
 * The KafkaJS-API producer options of the Confluent variants: idempotent (acks=all), as the
 * KafkaJS variants' producer, so a Produce retried on a loaded machine never writes a record
 * twice (the bench counts the topic's records).
 */
export const CONFLUENT_PRODUCER_OPTIONS = {
  idempotent: true,
  acks: -1,
  allowAutoTopicCreation: false,
} as const;
