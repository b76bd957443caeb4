import type { Attributes } from '@opentelemetry/api';
import type {
  BrokerReadings,
  LibrdkafkaStatistics,
  PartitionReadings,
} from '../librdkafka-statistics';
import {
  ATTR_KAFKA_CLIENT_KIND,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  MESSAGING_SYSTEM_KAFKA,
} from '../../semconv';
import type { MonotonicTotals } from './monotonic-totals';
import { ATTR_KAFKA_CLIENT_NAME, type ObservedInstrumentKey } from './statistics-instruments';

/** One value to observe at the next collection. */
export interface ObservedPoint {
  readonly instrument: ObservedInstrumentKey;
  readonly value: number;
  readonly attributes: Attributes;
}

/** Who the document belongs to, as the instrumentation knows it. */
export interface ClientIdentity {
  readonly kind: string;
  readonly clientId: string | undefined;
  readonly group: string | undefined;
}

/** One partition that gets per-partition series, with its consumer lag when librdkafka knows it. */
export interface SeriesPartition {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number | undefined;
}

/** The points of one document, and the partitions it gave series to or left out. */
export interface DocumentPoints {
  readonly points: ObservedPoint[];
  /** The attributes of the client's own series: which client the document is of. */
  readonly client: Attributes;
  readonly partitions: SeriesPartition[];
  readonly droppedPartitions: number;
}

/**
 * Turns one client's statistics into the points its next collections observe: every broker
 * with a known address, the client's queue and totals, and at most `maxPartitions` partitions.
 * Totals go through `totals` so they never go backwards for the same client.
 */
export function documentPoints(
  statistics: LibrdkafkaStatistics,
  identity: ClientIdentity,
  totals: MonotonicTotals,
  maxPartitions: number,
): DocumentPoints {
  const points: ObservedPoint[] = [];
  const client = clientAttributes(statistics, identity);
  const add = (instrument: ObservedInstrumentKey, value: number | undefined, at: Attributes) => {
    if (value !== undefined) points.push({ instrument, value, attributes: at });
  };
  const addTotal = (
    instrument: ObservedInstrumentKey,
    seriesKey: string,
    raw: number | undefined,
    at: Attributes,
  ) => {
    if (raw !== undefined)
      add(instrument, totals.total(`${instrument}\u0000${seriesKey}`, raw), at);
  };

  for (const broker of statistics.brokers) {
    if (broker.host === undefined || broker.port === undefined) continue;
    const at = { ...client, [ATTR_SERVER_ADDRESS]: broker.host, [ATTR_SERVER_PORT]: broker.port };
    addBroker(broker, at, add, (instrument, raw) =>
      addTotal(instrument, `${broker.host}\u0000${broker.port}`, raw, at),
    );
  }

  const readings = statistics.client;
  const producer = readings.type === 'producer' && identity.kind !== 'admin';
  if (producer) {
    add('producerQueueMessages', readings.producerQueueMessages, client);
    add('producerQueueBytes', readings.producerQueueBytes, client);
    add('producerQueueMaxMessages', readings.producerQueueMaxMessages, client);
    add('producerQueueMaxBytes', readings.producerQueueMaxBytes, client);
    addTotal('transmittedMessages', '', readings.messagesSent, client);
    addTotal('transmittedBytes', '', readings.messageBytesSent, client);
  }

  const partitions: SeriesPartition[] = [];
  let droppedPartitions = 0;
  if (readings.type === 'consumer') {
    addTotal('fetchedMessages', '', readings.messagesReceived, client);
    addTotal('fetchedBytes', '', readings.messageBytesReceived, client);
    for (const partition of statistics.partitions) {
      if (!hasPartitionSeries(partition)) continue;
      if (partitions.length >= maxPartitions) {
        droppedPartitions++;
        continue;
      }
      partitions.push({
        topic: partition.topic,
        partition: partition.partition,
        lag: partition.consumerLag,
      });
      if (isAssigned(partition)) {
        const at = partitionAttributes(client, identity.group, partition);
        add('partitionFetching', partition.fetchState === 'active' ? 1 : 0, at);
      }
    }
  }
  add('droppedPartitions', droppedPartitions, client);
  return { points, client, partitions, droppedPartitions };
}

type Add = (instrument: ObservedInstrumentKey, value: number | undefined, at: Attributes) => void;
type AddTotal = (instrument: ObservedInstrumentKey, raw: number | undefined) => void;

function addBroker(broker: BrokerReadings, at: Attributes, add: Add, addTotal: AddTotal) {
  // Two gauges rather than one with a statistic attribute: an average and a percentile do not
  // aggregate together, and a query summing or averaging over such an attribute would mix them.
  add('roundTripAverage', broker.roundTripTime?.avgSeconds, at);
  add('roundTripP99', broker.roundTripTime?.p99Seconds, at);
  // librdkafka samples a throttle only when the broker asks for one: a connection in the
  // document whose window sampled nothing was not throttled, which is a real 0.
  add('throttleMax', broker.throttleTime?.maxSeconds ?? 0, at);
  addTotal('requestsSent', broker.requestsSent);
  addTotal('requestBytes', broker.bytesSent);
  addTotal('requestErrors', broker.sendErrors);
  addTotal('requestRetries', broker.requestRetries);
  addTotal('responsesReceived', broker.responsesReceived);
  addTotal('responseBytes', broker.bytesReceived);
  addTotal('responseErrors', broker.receiveErrors);
  add('queuedRequests', broker.requestsAwaitingSend, at);
  add('inFlightRequests', broker.requestsAwaitingResponse, at);
  // A 0/1 gauge rather than one series per state set to 1: a state series the client left would
  // keep its last 1 in a cumulative export, showing a broker both UP and DOWN.
  if (broker.state !== undefined) add('connectionUp', broker.state === 'UP' ? 1 : 0, at);
  addTotal('connects', broker.connectionAttempts);
  addTotal('disconnects', broker.disconnects);
}

/** A partition this consumer fetches or was assigned (fetch state other than `none`). */
function isAssigned(partition: PartitionReadings): boolean {
  return partition.fetchState !== undefined && partition.fetchState !== 'none';
}

/** A partition with a fetch gauge or a lag: the partitions a per-partition limit counts. */
function hasPartitionSeries(partition: PartitionReadings): boolean {
  return isAssigned(partition) || partition.consumerLag !== undefined;
}

function clientAttributes(statistics: LibrdkafkaStatistics, identity: ClientIdentity): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_KAFKA_CLIENT_KIND]: identity.kind,
    [ATTR_KAFKA_CLIENT_NAME]: statistics.client.name,
  };
  if (identity.clientId !== undefined) attributes[ATTR_MESSAGING_CLIENT_ID] = identity.clientId;
  return attributes;
}

function partitionAttributes(
  client: Attributes,
  group: string | undefined,
  partition: PartitionReadings,
): Attributes {
  const attributes: Attributes = { ...client };
  if (group !== undefined) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = group;
  attributes[ATTR_MESSAGING_DESTINATION_NAME] = partition.topic;
  attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(partition.partition);
  return attributes;
}
