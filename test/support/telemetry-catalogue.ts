/**
 * The catalogue of what an instrumentation emitted: the kinds of spans and metric series, not
 * their values. Two clients under the same scenario must produce the same catalogue, so a
 * dashboard or an alert written against one works against the other.
 *
 * Each entry is one line of text, so catalogues compare as sets of strings and a failing
 * comparison prints the lines that differ:
 *  - span:   `span <name> kind=<kind> status=<code> [<sorted attribute keys>]`, the run's topics
 *            in the name replaced by `<topic>` (`send <topic>`): which topic got which span is
 *            a matter of counts, tested elsewhere, not of the catalogue;
 *  - metric: `metric <name> <instrument type> unit=<unit> [<sorted attribute keys>]`, one entry
 *            per distinct key set among the metric's points.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** One span entry: `span <name> kind=<KIND> status=<CODE> [<sorted attribute keys>]`. */
export function spanLine(name: string, kind: string, status: string, keys: readonly string[]) {
  return `span ${name} kind=${kind} status=${status} [${[...keys].sort().join(' ')}]`;
}

/** One metric entry: `metric <name> <INSTRUMENT_TYPE> unit=<unit> [<sorted attribute keys>]`. */
export function metricLine(name: string, type: string, unit: string, keys: readonly string[]) {
  return `metric ${name} ${type} unit=${unit} [${[...keys].sort().join(' ')}]`;
}

/** `name` with each of `topics` replaced by `<topic>`. */
function withoutTopics(name: string, topics: readonly string[]): string {
  return topics.reduce((result, topic) => result.split(topic).join('<topic>'), name);
}

export function spanEntry(span: ReadableSpan, topics: readonly string[]): string {
  return spanLine(
    withoutTopics(span.name, topics),
    SpanKind[span.kind],
    SpanStatusCode[span.status.code],
    Object.keys(span.attributes),
  );
}

/**
 * The instrument type (`COUNTER`, `OBSERVABLE_GAUGE`, ...): the SDK's descriptors are its
 * InstrumentDescriptor, which has it, though the public MetricDescriptor does not declare it.
 */
function instrumentType(metric: MetricData): string {
  const { type } = metric.descriptor as { type?: unknown };
  if (typeof type !== 'string') throw new Error(`${metric.descriptor.name}: no instrument type`);
  return type;
}

export function metricEntries(metric: MetricData): string[] {
  const { name, unit } = metric.descriptor;
  const type = instrumentType(metric);
  const entries = metric.dataPoints.map((point) =>
    metricLine(name, type, unit, Object.keys(point.attributes)),
  );
  return [...new Set(entries)];
}

/** A catalogue that grows with every collection a scenario makes (series may come and go). */
export class TelemetryCatalogue {
  private readonly metricLines = new Set<string>();

  constructor(private readonly topics: readonly string[]) {}

  /** Adds the series of one collection. */
  addMetrics(metrics: MetricData[]): void {
    for (const metric of metrics) {
      for (const entry of metricEntries(metric)) this.metricLines.add(entry);
    }
  }

  /** The whole catalogue, sorted: the finished spans' entries and every metric entry seen. */
  entries(spans: ReadableSpan[]): string[] {
    const lines = new Set(this.metricLines);
    for (const span of spans) lines.add(spanEntry(span, this.topics));
    return [...lines].sort();
  }
}
