import type { Attributes } from '@opentelemetry/api';

interface LagPoint {
  value: number;
  attributes: Attributes;
}

/**
 * The last lag each consumer saw per partition, read by the `kafka.consumer.lag` gauge.
 *
 * Kept per consumer so the gauge stops observing a partition once it is revoked from its consumer
 * (or the consumer stops), and memory stays bounded by the partitions currently assigned. What an
 * export shows then depends on the reader: a delta reader drops the series, but the OpenTelemetry
 * JS SDK's cumulative readers keep exporting its last observed value (an SDK behaviour, see Known
 * limitations in docs/instrumentation.md).
 */
export class ConsumerLagTable {
  private readonly byConsumer = new Map<object, Map<string, LagPoint>>();

  /** Records the lag of one partition after a batch. */
  set(consumer: object, topic: string, partition: number, value: number, attributes: Attributes) {
    let points = this.byConsumer.get(consumer);
    if (!points) {
      points = new Map();
      this.byConsumer.set(consumer, points);
    }
    points.set(`${topic}\u0000${partition}`, { value: Math.max(0, value), attributes });
  }

  /** Keeps only the partitions of the new assignment (topic -> partitions) for a consumer. */
  retainAssignment(consumer: object, assignment: Record<string, number[]>) {
    const points = this.byConsumer.get(consumer);
    if (!points) return;
    const keep = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) keep.add(`${topic}\u0000${partition}`);
    }
    for (const key of points.keys()) if (!keep.has(key)) points.delete(key);
  }

  /** Forgets every series of a consumer (it stopped, crashed without restart, or disconnected). */
  forget(consumer: object) {
    this.byConsumer.delete(consumer);
  }

  *points(): Iterable<LagPoint> {
    for (const points of this.byConsumer.values()) yield* points.values();
  }
}
