/**
 * The Collector's own trace spans, as its `console` span exporter prints them to stdout (one
 * pretty-printed JSON object per span, in the order the spans end), turned into scrape cycles of
 * the kafkametrics receiver. The scraper helper wraps each scraper's ScrapeMetrics in a span
 * `scraper/<type>/ScrapeMetrics` and runs the scrapers of one cycle one after the other; the
 * cycle then hands its metrics on inside a span `receiver/<id>/MetricsReceived` whose
 * `accepted_metric_points` attribute counts the data points. So one cycle runs from the first
 * scraper span's start to the last one's end, and ends where a MetricsReceived span follows.
 */

export interface ConsoleSpan {
  name: string;
  /** Epoch milliseconds, with the fraction the exporter printed (nanoseconds) kept. */
  startMs: number;
  endMs: number;
  attributes: Record<string, unknown>;
}

export interface ScrapeCycle {
  /** Scraper spans in the cycle (one per configured scraper). */
  scrapers: number;
  /** First scraper start to last scraper end. */
  durationMs: number;
  /** Data points the receiver handed on (accepted_metric_points). */
  points: number;
  /** Points the scrapers reported as failed (errored_metric_points, summed). */
  erroredPoints: number;
}

/** RFC 3339 with up to nanoseconds ("2026-11-29T19:39:19.38406237Z") to epoch ms. */
export function parseSpanTime(text: string): number {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return Number.NaN;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  const fraction = match[2] ? Number(`0.${match[2]}`) * 1000 : 0;
  return whole + fraction;
}

/**
 * The complete JSON objects at the top level of `text` (concatenated, whitespace between), and
 * how many characters they used: a trailing object still being written is left for later.
 */
export function splitJsonObjects(text: string): { objects: unknown[]; consumed: number } {
  const objects: unknown[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let consumed = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        objects.push(JSON.parse(text.slice(start, i + 1)));
        consumed = i + 1;
      }
    }
  }
  return { objects, consumed };
}

interface RawSpan {
  Name?: unknown;
  StartTime?: unknown;
  EndTime?: unknown;
  Attributes?: Array<{ Key?: unknown; Value?: { Value?: unknown } }> | null;
}

export function toConsoleSpan(object: unknown): ConsoleSpan | undefined {
  const raw = object as RawSpan;
  if (typeof raw?.Name !== 'string' || typeof raw.StartTime !== 'string') return undefined;
  if (typeof raw.EndTime !== 'string') return undefined;
  const attributes: Record<string, unknown> = {};
  for (const attribute of raw.Attributes ?? []) {
    if (typeof attribute.Key === 'string') attributes[attribute.Key] = attribute.Value?.Value;
  }
  return {
    name: raw.Name,
    startMs: parseSpanTime(raw.StartTime),
    endMs: parseSpanTime(raw.EndTime),
    attributes,
  };
}

const SCRAPER_SPAN = /^scraper\/[^/]+\/ScrapeMetrics$/;
const RECEIVED_SPAN = /^receiver\/[^/]+\/MetricsReceived$/;

/** Complete scrape cycles, in order, from spans in the order they ended. */
export function scrapeCycles(spans: readonly ConsoleSpan[]): ScrapeCycle[] {
  const cycles: ScrapeCycle[] = [];
  let current: ConsoleSpan[] = [];
  for (const span of spans) {
    if (SCRAPER_SPAN.test(span.name)) {
      current.push(span);
    } else if (RECEIVED_SPAN.test(span.name) && current.length > 0) {
      const start = Math.min(...current.map((s) => s.startMs));
      const end = Math.max(...current.map((s) => s.endMs));
      cycles.push({
        scrapers: current.length,
        durationMs: end - start,
        points: Number(span.attributes.accepted_metric_points ?? 0),
        erroredPoints: current.reduce(
          (sum, s) => sum + Number(s.attributes.errored_metric_points ?? 0),
          0,
        ),
      });
      current = [];
    }
  }
  return cycles;
}
