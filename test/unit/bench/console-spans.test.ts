import { describe, expect, it } from 'vitest';
import {
  parseSpanTime,
  scrapeCycles,
  splitJsonObjects,
  toConsoleSpan,
  type ConsoleSpan,
} from '../../../bench/collector/console-spans';

function rawSpan(name: string, start: string, end: string, attributes: Record<string, number>) {
  return {
    Name: name,
    StartTime: start,
    EndTime: end,
    Attributes: Object.entries(attributes).map(([Key, Value]) => ({
      Key,
      Value: { Type: 'INT64', Value },
    })),
  };
}

const span = (name: string, startMs: number, endMs: number, attributes = {}): ConsoleSpan => ({
  name,
  startMs,
  endMs,
  attributes,
});

describe('parseSpanTime', () => {
  it('keeps the sub-millisecond fraction of nanosecond timestamps', () => {
    const a = parseSpanTime('2026-11-29T19:39:19.38406237Z');
    const b = parseSpanTime('2026-11-29T19:39:19.419491523Z');
    expect(b - a).toBeCloseTo(35.429153, 3);
    expect(parseSpanTime('2026-11-29T19:39:19Z')).toBe(Date.parse('2026-11-29T19:39:19Z'));
    expect(parseSpanTime('yesterday')).toBeNaN();
  });
});

describe('splitJsonObjects', () => {
  it('splits pretty-printed objects and keeps an unfinished tail', () => {
    const text = `{\n\t"Name": "a {b}",\n\t"X": {"y": "\\"}"}\n}\n{"Name": "c"}\n{"Name": "unfini`;
    const { objects, consumed } = splitJsonObjects(text);
    expect(objects).toEqual([{ Name: 'a {b}', X: { y: '"}' } }, { Name: 'c' }]);
    expect(text.slice(consumed).trim()).toBe('{"Name": "unfini');
  });
});

describe('toConsoleSpan', () => {
  it('reads name, times and attributes of the exporter objects', () => {
    const s = toConsoleSpan(
      rawSpan(
        'receiver/kafkametrics/MetricsReceived',
        '2026-11-29T19:39:23.755334334Z',
        '2026-11-29T19:39:23.766741353Z',
        { accepted_metric_points: 3693 },
      ),
    );
    expect(s?.name).toBe('receiver/kafkametrics/MetricsReceived');
    expect(s?.attributes).toEqual({ accepted_metric_points: 3693 });
    expect((s?.endMs ?? 0) - (s?.startMs ?? 0)).toBeCloseTo(11.407, 2);
    expect(toConsoleSpan({ Name: 'x' })).toBeUndefined();
  });
});

describe('scrapeCycles', () => {
  it('groups scraper spans up to each MetricsReceived into one cycle', () => {
    const scraper = 'scraper/kafka_metrics/ScrapeMetrics';
    const cycles = scrapeCycles([
      span(scraper, 0, 10, { errored_metric_points: 0 }),
      span(scraper, 10, 40, { errored_metric_points: 2 }),
      span(scraper, 40, 45),
      span('exporter/prometheus/metrics', 46, 50),
      span('receiver/kafkametrics/MetricsReceived', 45, 51, { accepted_metric_points: 100 }),
      span(scraper, 60, 61),
      span(scraper, 61, 70),
      span(scraper, 70, 90),
      span('receiver/kafkametrics/MetricsReceived', 90, 91, { accepted_metric_points: 120 }),
      // A cycle still running: not reported.
      span(scraper, 100, 101),
    ]);
    expect(cycles).toEqual([
      { scrapers: 3, durationMs: 45, points: 100, erroredPoints: 2 },
      { scrapers: 3, durationMs: 30, points: 120, erroredPoints: 0 },
    ]);
  });
});
