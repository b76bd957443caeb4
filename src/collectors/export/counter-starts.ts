import type { Attributes, HrTime } from '@opentelemetry/api';

interface CounterSeries {
  start: HrTime;
  value: number;
  /** `takenAt` of the last snapshot whose value this holds. */
  seenAt: number;
}

/**
 * The start time of each counter series a renderer exports. A counter read from a source (a
 * JMX `Count`, a Connect task's totals) counts from when that source started, which the
 * collector cannot know: its first point starts at its own time (an unknown start, as the
 * OpenTelemetry data model has it), and a value lower than the last one means the source
 * restarted (a broker, a reconfigured task), so the series starts again at that point. A
 * backend deriving increases from start times then never sees a total it has not watched grow
 * as one increase, nor a drop inside one start.
 *
 * Updated once per snapshot, so readers exporting the same snapshot agree; only the series of
 * the previous snapshot are remembered, so the map is as large as one snapshot's counters.
 */
export class CounterStarts {
  private series = new Map<string, CounterSeries>();
  private current = Number.NEGATIVE_INFINITY;

  /** Called as a snapshot is rendered; series the previous snapshot did not hold are forgotten. */
  beginSnapshot(takenAt: number): void {
    if (takenAt === this.current) return;
    for (const [key, series] of this.series) {
      if (series.seenAt !== this.current) this.series.delete(key);
    }
    this.current = takenAt;
  }

  /** The start time of a counter point of the current snapshot. */
  startOf(metric: string, attributes: Attributes, value: number, time: HrTime): HrTime {
    // A family builds a metric's attributes in one key order, so their JSON names the series.
    const key = `${metric}\u0000${JSON.stringify(attributes)}`;
    const known = this.series.get(key);
    if (known === undefined) {
      this.series.set(key, { start: time, value, seenAt: this.current });
      return time;
    }
    if (known.seenAt === this.current) return known.start;
    if (value < known.value) known.start = time;
    known.value = value;
    known.seenAt = this.current;
    return known.start;
  }
}
