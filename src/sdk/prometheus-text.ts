import { diag, type Attributes } from '@opentelemetry/api';
import {
  DataPointType,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/**
 * Prometheus text exposition of collected metrics, written for the size of a cluster snapshot:
 * the same text the OpenTelemetry PrometheusExporter serializes with its defaults (metric names
 * sanitized, `_total` on monotonic sums, HELP/UNIT/TYPE lines, `otel_scope_*` labels,
 * `target_info` from the resource), produced several times faster and in chunks, one per
 * metric, so a 150 000-series scrape is never one giant string built by concatenation.
 * A unit test holds the output byte for byte to the exporter's serializer.
 */
export function* prometheusText(resourceMetrics: ResourceMetrics): Generator<string> {
  yield targetInfo(resourceMetrics.resource.attributes);
  let empty = true;
  for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
    const scopeLabels: Attributes = { 'otel.scope.name': scope.name };
    if (scope.schemaUrl) scopeLabels['otel.scope.schema_url'] = scope.schemaUrl;
    if (scope.version) scopeLabels['otel.scope.version'] = scope.version;
    const scopeText = labelText(scopeLabels);
    for (const metric of metrics) {
      const text = metricText(metric, scopeText);
      if (text === undefined) continue;
      empty = false;
      yield text;
    }
  }
  if (empty) yield '# no registered metrics';
}

function targetInfo(attributes: Attributes): string {
  const labels = labelText(attributes);
  return `# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info${labels ? `{${labels}}` : ''} 1\n`;
}

function metricText(metric: MetricData, scopeLabels: string): string | undefined {
  let name = metricName(metric);
  if (name === undefined) return undefined;
  if (
    metric.dataPointType === DataPointType.SUM &&
    metric.isMonotonic &&
    !name.endsWith('_total')
  ) {
    name += '_total';
  }
  const { description, unit } = metric.descriptor;
  const lines: string[] = [`# HELP ${name} ${escapeText(description || 'description missing')}`];
  if (unit) lines.push(`# UNIT ${name} ${escapeText(unit)}`);
  lines.push(`# TYPE ${name} ${prometheusType(metric)}`);
  switch (metric.dataPointType) {
    case DataPointType.SUM:
    case DataPointType.GAUGE:
      for (const point of metric.dataPoints) {
        lines.push(sample(name, labelText(point.attributes), scopeLabels, point.value));
      }
      break;
    case DataPointType.HISTOGRAM:
      for (const point of metric.dataPoints)
        histogramLines(lines, name, point.attributes, scopeLabels, point.value);
      break;
    default:
      diag.error(`Unrecognizable DataPointType: ${metric.dataPointType} for metric "${name}"`);
  }
  return `${lines.join('\n')}\n`;
}

function histogramLines(
  lines: string[],
  name: string,
  attributes: Attributes,
  scopeLabels: string,
  histogram: Histogram,
): void {
  const labels = labelText(attributes);
  lines.push(sample(`${name}_count`, labels, scopeLabels, histogram.count));
  if (histogram.sum != null) lines.push(sample(`${name}_sum`, labels, scopeLabels, histogram.sum));
  const { boundaries, counts } = histogram.buckets;
  let cumulative = 0;
  let infinityListed = false;
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i]!;
    const bound = boundaries[i];
    if (bound === undefined && infinityListed) break;
    if (bound === Infinity) infinityListed = true;
    const le = bound === undefined || bound === Infinity ? '+Inf' : String(bound);
    lines.push(sample(`${name}_bucket`, labels, `${scopeLabels},le="${le}"`, cumulative));
  }
}

function sample(name: string, labels: string, scopeLabels: string, value: number): string {
  const all = labels && scopeLabels ? `${labels},${scopeLabels}` : labels || scopeLabels;
  return `${name}${all ? `{${all}}` : ''} ${valueText(value)}`;
}

function metricName(metric: MetricData): string | undefined {
  const { name: original } = metric.descriptor;
  let name = sanitizeName(escapeText(original));
  if (name === '' || name === '_') {
    diag.error(`Normalization for metric "${original}" resulted in an invalid name: "${name}"`);
    return undefined;
  }
  if (name[0]! >= '0' && name[0]! <= '9') name = `_${name}`;
  return name;
}

function prometheusType(metric: MetricData): string {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return 'untyped';
  }
}

const labelNames = new Map<string, string>();

/** `key="value",...`; label names sanitized (cached: a snapshot repeats a handful of keys). */
function labelText(attributes: Attributes): string {
  let text = '';
  for (const key in attributes) {
    let label = labelNames.get(key);
    if (label === undefined) {
      label = sanitizeName(key);
      if (labelNames.size < 1_000) labelNames.set(key, label);
    }
    const value = attributes[key];
    const raw =
      typeof value === 'string'
        ? value
        : typeof value === 'number' && Number.isFinite(value)
          ? `${value}` // what JSON.stringify gives for a finite number, without its cost
          : (JSON.stringify(value) ?? '');
    text += `${text ? ',' : ''}${label}="${NEEDS_ESCAPE.test(raw) ? escapeLabel(raw) : raw}"`;
  }
  return text;
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabel(value: string): string {
  return escapeText(value).replace(/"/g, '\\"');
}

function sanitizeName(name: string): string {
  return name.replace(/[^a-z0-9_]/gi, '_').replace(/_{2,}/g, '_');
}

function valueText(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return `${value}`;
}
