import { readBrokers, type BrokerReadings } from './librdkafka-statistics/broker-readings';
import {
  readClient,
  type ClientReadings,
  type LibrdkafkaClientType,
} from './librdkafka-statistics/client-readings';
import {
  readConsumerGroup,
  type ConsumerGroupReadings,
} from './librdkafka-statistics/consumer-group-readings';
import { readPartitions, type PartitionReadings } from './librdkafka-statistics/partition-readings';
import { isJsonObject, text } from './librdkafka-statistics/statistics-values';

export type { BrokerReadings } from './librdkafka-statistics/broker-readings';
export type { ClientReadings, LibrdkafkaClientType } from './librdkafka-statistics/client-readings';
export type { ConsumerGroupReadings } from './librdkafka-statistics/consumer-group-readings';
export type { PartitionReadings } from './librdkafka-statistics/partition-readings';
export type { WindowSummary } from './librdkafka-statistics/window-summary';

/**
 * The readings of one librdkafka statistics document (the JSON string librdkafka emits every
 * `statistics.interval.ms`; @confluentinc/kafka-javascript hands it over as the `message` of an
 * `event.stats` event). Field meanings and units follow librdkafka's STATISTICS.md; times are in
 * seconds, sizes in bytes, counts as counts. A reading librdkafka does not know, or that the
 * document does not hold in the expected form, is `undefined`: never a made-up 0 or -1.
 */
export interface LibrdkafkaStatistics {
  readonly client: ClientReadings;
  /** Real broker connections; logical ones such as GroupCoordinator are left out. */
  readonly brokers: readonly BrokerReadings[];
  /** Real topic partitions; librdkafka's internal partition -1 is left out. */
  readonly partitions: readonly PartitionReadings[];
  /** Group membership: consumers in a group only. */
  readonly consumerGroup: ConsumerGroupReadings | undefined;
}

export type LibrdkafkaStatisticsResult =
  | { readonly ok: true; readonly statistics: LibrdkafkaStatistics }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads one statistics document. Never throws, whatever it is given: it runs inside the user's
 * application on a native library's output, and an exception from a metrics reader must not
 * reach a Kafka client's event emitter. A document is refused only when it cannot be a client's
 * statistics (not JSON, not an object, no producer/consumer `type` or `name`); a missing or
 * malformed section or field costs only its own readings. The reason never quotes the input,
 * which may be megabytes long.
 */
export function parseLibrdkafkaStatistics(json: string): LibrdkafkaStatisticsResult {
  try {
    return readDocument(json);
  } catch {
    // Nothing below is expected to throw (JSON.parse is the one call that does, and it is
    // guarded); this is the last line that keeps the promise above.
    return { ok: false, reason: 'the statistics document could not be read' };
  }
}

function readDocument(json: string): LibrdkafkaStatisticsResult {
  if (typeof json !== 'string') return { ok: false, reason: 'not a string' };
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isJsonObject(document)) return { ok: false, reason: 'not a JSON object' };
  const type = clientType(document.type);
  if (type === undefined) return { ok: false, reason: 'type is neither producer nor consumer' };
  const name = text(document.name);
  if (name === undefined) return { ok: false, reason: 'name is not a string' };
  return {
    ok: true,
    statistics: {
      client: readClient(document, type, name),
      brokers: readBrokers(document.brokers),
      partitions: readPartitions(document.topics),
      consumerGroup: type === 'consumer' ? readConsumerGroup(document.cgrp) : undefined,
    },
  };
}

function clientType(value: unknown): LibrdkafkaClientType | undefined {
  return value === 'producer' || value === 'consumer' ? value : undefined;
}
