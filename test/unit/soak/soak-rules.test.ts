import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../scripts/soak/args';
import { restartTimes } from '../../../scripts/soak/broker-restarts';
import { judgeFlatness, type Point } from '../../../scripts/soak/flatness';
import { countSeries, steadyLabelSets } from '../../../scripts/soak/series-count';

const MIB = 1024 * 1024;
const rule = { relative: 0.1, absolute: 2 * MIB };

/** One sample every 10 s from t=60 s to t=600 s. */
function curve(value: (t: number) => number): Point[] {
  return Array.from({ length: 55 }, (_, i) => {
    const t = 60 + i * 10;
    return { t, value: value(t) };
  });
}

describe('soak flatness rule', () => {
  it('calls a sawtooth around a constant level flat', () => {
    const sawtooth = curve((t) => 40 * MIB + ((t / 10) % 4) * 4 * MIB);
    expect(judgeFlatness(sawtooth, rule).verdict).toBe('flat');
  });

  it('calls a steady leak of 1 MiB per minute on a 30 MiB heap growing', () => {
    const leak = curve((t) => 30 * MIB + (t / 60) * MIB);
    const judgement = judgeFlatness(leak, rule);
    expect(judgement.verdict).toBe('growing');
    expect(judgement.slopePerMinute / MIB).toBeCloseTo(1, 5);
  });

  it('does not call one high reading at the end growth', () => {
    const spike = curve((t) => (t === 600 ? 60 * MIB : 30 * MIB));
    expect(judgeFlatness(spike, rule).verdict).toBe('flat');
  });

  it('needs six samples to judge', () => {
    expect(judgeFlatness(curve(() => MIB).slice(0, 5), rule).verdict).toBe('too short');
  });
});

const EXPOSITION = [
  '# HELP kafka_topic_partitions Partitions',
  'kafka_topic_partitions{topic="soak-orders"} 6',
  'kafka_topic_partitions{topic="soak-churn-1"} 3',
  'kafka_topic_partitions{topic="soak-churn-2"} 3',
  'kafka_consumer_group_lag{group="soak-short-4",topic="soak-orders",partition="0"} 1',
  // The instrumentation's join duration shares the collector's consumer_group prefix.
  'kafka_consumer_group_join_duration_count{messaging_consumer_group_name="soak-short-3"} 1',
  'messaging_client_sent_messages_total{messaging_destination_name="soak-churn-1"} 100',
  'messaging_client_sent_messages_total{messaging_destination_name="soak-orders"} 900',
  'kafka_client_request_duration_bucket{kafka_api_name="Fetch",le="0.1"} 5',
  'kafka_client_request_duration_bucket{kafka_api_name="Fetch",le="+Inf"} 7',
  'kafka_client_request_duration_count{kafka_api_name="Fetch"} 7',
  'kafka_client_request_duration_count{kafka_api_name="Fetch",error_type="NOT_COORDINATOR"} 1',
  '',
].join('\n');

describe('soak series count', () => {
  it('sorts series into steady, error-typed, live, stale and per-process churn', () => {
    const counts = countSeries(EXPOSITION, new Set(['soak-churn-2', 'soak-short-4']));
    expect(counts.total).toBe(11);
    expect(counts.steady).toBe(5);
    expect(counts.errorTyped).toBe(1);
    expect(counts.bySource).toEqual({ collector: 4, instrumentation: 7, other: 0 });
    expect(counts.churn).toMatchObject({
      collectorLive: 2,
      collectorStale: 1,
      perProcess: 2,
      perProcessOfTopics: 1,
      topicsNamed: 1,
      perProcessOfShortGroups: 1,
      shortGroupsNamed: 1,
    });
    expect(counts.staleNames).toEqual(['soak-churn-1']);
  });

  it('counts a histogram once per label set, without le', () => {
    expect([...steadyLabelSets(EXPOSITION)]).toEqual([
      'kafka_topic_partitions{topic="soak-orders"}',
      'messaging_client_sent_messages_total{messaging_destination_name="soak-orders"}',
      'kafka_client_request_duration{kafka_api_name="Fetch"}',
    ]);
  });
});

describe('soak schedule and options', () => {
  it('restarts every two minutes and keeps the last quarter quiet', () => {
    const minute = 60_000;
    expect(restartTimes(0, 10 * minute)).toEqual([2 * minute, 4 * minute, 6 * minute]);
    expect(restartTimes(0, 3 * minute)).toEqual([2 * minute]);
  });

  it('reads the options, with their defaults', () => {
    expect(parseArgs([])).toEqual({
      kind: 'soak',
      options: { minutes: 10, basePort: 53092, keepCluster: false },
    });
    expect(parseArgs(['--minutes', '3', '--port', '54092', '--keep-cluster'])).toEqual({
      kind: 'soak',
      options: { minutes: 3, basePort: 54092, keepCluster: true },
    });
    expect(() => parseArgs(['--minutes', '1'])).toThrow(/--minutes must be an integer from 2/);
    expect(() => parseArgs(['--port', '65500'])).toThrow(/--port/);
  });
});
