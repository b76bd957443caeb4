import { describe, expect, it } from 'vitest';
import {
  countSeries,
  histogramTotals,
  snapshotDurations,
} from '../../../bench/collector/exposition';

const EXPOSITION = `# HELP kafka_brokers Brokers.
# TYPE kafka_brokers gauge
kafka_brokers{otel_scope_name="kafka-otel"} 3

# HELP kafka_collector_scrape_duration Time taken to take one cluster snapshot.
# TYPE kafka_collector_scrape_duration histogram
kafka_collector_scrape_duration_count{otel_scope_name="kafka-otel"} 2
kafka_collector_scrape_duration_sum{otel_scope_name="kafka-otel"} 1.5
kafka_collector_scrape_duration_bucket{otel_scope_name="kafka-otel",le="+Inf"} 2
kafka_partition_leader{topic="a",partition="0"} 1
`;

describe('countSeries', () => {
  it('counts sample lines, not comments or blank lines', () => {
    expect(countSeries(EXPOSITION)).toBe(5);
    expect(countSeries('')).toBe(0);
    expect(countSeries('# only a comment\n\n')).toBe(0);
  });
});

describe('histogramTotals', () => {
  it('reads count and sum of one histogram', () => {
    expect(histogramTotals(EXPOSITION, 'kafka_collector_scrape_duration')).toEqual({
      count: 2,
      sum: 1.5,
    });
  });

  it('accepts a unit suffix and adds label sets up', () => {
    const text = [
      'x_seconds_count{a="1"} 1',
      'x_seconds_sum{a="1"} 0.25',
      'x_seconds_count{a="2"} 2',
      'x_seconds_sum{a="2"} 0.5',
    ].join('\n');
    expect(histogramTotals(text, 'x')).toEqual({ count: 3, sum: 0.75 });
  });

  it('is undefined without the histogram', () => {
    expect(histogramTotals('kafka_brokers 3\n', 'kafka_collector_scrape_duration')).toBeUndefined();
  });
});

describe('snapshotDurations', () => {
  it('takes each snapshot as the rise of sum from the previous count', () => {
    const seen = [
      { count: 1, sum: 1.2 },
      { count: 2, sum: 2.0 },
      { count: 3, sum: 2.5 },
    ];
    const durations = snapshotDurations(seen, [2, 3]);
    expect(durations.get(2)).toBeCloseTo(0.8);
    expect(durations.get(3)).toBeCloseTo(0.5);
    expect(snapshotDurations(seen, [1]).get(1)).toBeCloseTo(1.2);
  });

  it('leaves out a snapshot whose neighbour was not seen', () => {
    const durations = snapshotDurations([{ count: 3, sum: 3 }], [3, 4]);
    expect(durations.size).toBe(0);
  });
});
