/**
 * What the instrumentation reads from, and adds to, the configuration a Confluent KafkaJS-API
 * client is constructed with: its identity for spans and metrics, its group, and the statistics
 * interval librdkafka needs to emit the statistics the client's metrics come from.
 */
import { splitHostPort, type ClientIdentity, type ClientKind } from '../client-identity';
import type { ConfluentClientConfig } from './confluent-internals';

const STATISTICS_INTERVAL = 'statistics.interval.ms';
const STATISTICS_CALLBACK = 'stats_cb';

/** Who a client is: the `kafkaJS` options win over librdkafka's properties, as in the client. */
export function identityOf(kind: ClientKind, config: ConfluentClientConfig): ClientIdentity {
  const options = kafkaJsOptions(config);
  const clientId = textOf(options?.clientId) ?? textOf(config['client.id']);
  const first = firstBroker(options?.brokers) ?? firstBroker(config['bootstrap.servers']);
  const broker = first === undefined ? undefined : splitHostPort(first);
  return {
    kind,
    clientId,
    serverAddress: broker?.host,
    serverPort: broker?.port,
  };
}

/** The consumer group (`kafkaJS.groupId` or librdkafka's `group.id`); '' when none is set. */
export function groupOf(config: ConfluentClientConfig): string {
  return textOf(kafkaJsOptions(config)?.groupId) ?? textOf(config['group.id']) ?? '';
}

/**
 * The configuration the client is constructed with: the application's, or a shallow copy asking
 * librdkafka for statistics every `intervalMs` when it set no interval of its own. An interval the
 * application set, 0 included, is kept: statistics are then as it chose. A `stats_cb` without an
 * interval never ran before (librdkafka's default interval is 0, no statistics); the copy leaves
 * it out so that it still never runs.
 */
export function withStatisticsInterval(
  config: ConfluentClientConfig | undefined,
  intervalMs: number,
): ConfluentClientConfig | undefined {
  if (!(intervalMs > 0) || typeof config !== 'object' || config === null) return config;
  if (Object.hasOwn(config, STATISTICS_INTERVAL)) return config;
  const copy: ConfluentClientConfig = Object.assign({}, config);
  copy[STATISTICS_INTERVAL] = intervalMs;
  delete copy[STATISTICS_CALLBACK];
  return copy;
}

function kafkaJsOptions(config: ConfluentClientConfig): ConfluentClientConfig['kafkaJS'] {
  const options = config.kafkaJS;
  return typeof options === 'object' && options !== null ? options : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The first of `['host:port', ...]` or of librdkafka's comma-separated list. */
function firstBroker(brokers: unknown): string | undefined {
  if (Array.isArray(brokers)) return textOf(brokers[0]);
  if (typeof brokers === 'string') return textOf(brokers.split(',')[0]?.trim());
  return undefined;
}
