import type { ConsumerTelemetry } from '../kafkajs/consumer-scope';
import type { StatisticsSource } from './statistics-metrics';

export type { StatisticsSource };

/** Where the statistics librdkafka emits for each client go (LibrdkafkaStatisticsMetrics). */
export interface StatisticsSink {
  /** One `event.stats` document (a JSON string) of `client`; never throws. */
  update(client: object, source: StatisticsSource, json: unknown): void;
  /** The client disconnected: its statistics series end. */
  forget(client: object): void;
}

/**
 * What the patches of `@confluentinc/kafka-javascript` share: the instrumentation's telemetry
 * (a live view: provider and config changes reach clients made before them), the statistics
 * sink, and the interval librdkafka is asked to emit statistics at.
 */
export interface ConfluentTelemetry extends ConsumerTelemetry {
  readonly statistics: StatisticsSink;
  /** `statistics.interval.ms` for clients whose configuration sets none; 0 leaves it unset. */
  readonly statisticsIntervalMs: number;
}
