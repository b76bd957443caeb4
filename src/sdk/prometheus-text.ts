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
 * `target_info` from the resource), at a fraction of its time and memory: written straight
 * into 64 KiB buffers, each handed out as soon as it fills, so a 150 000-series scrape never
 * becomes one giant string and a caller that waits for the socket holds only a few buffers.
 * With a `ChunkPool`, buffers the caller gives back are written again instead of allocated.
 * A unit test holds the output byte for byte to the exporter's.
 */
export function* prometheusText(
  resourceMetrics: ResourceMetrics,
  pool: ChunkPool = new ChunkPool(0),
): Generator<Buffer> {
  const out = new ChunkWriter(pool);
  out.write('# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info');
  const resourceLabels = labelText(resourceMetrics.resource.attributes);
  if (resourceLabels) out.write(`{${resourceLabels}}`);
  out.write(' 1\n');
  let empty = true;
  for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
    const scopeAttributes: Attributes = { 'otel.scope.name': scope.name };
    if (scope.schemaUrl) scopeAttributes['otel.scope.schema_url'] = scope.schemaUrl;
    if (scope.version) scopeAttributes['otel.scope.version'] = scope.version;
    const scopeLabels = labelText(scopeAttributes);
    for (const metric of metrics) {
      if (yield* metricText(out, metric, scopeLabels)) empty = false;
    }
  }
  if (empty) out.write('# no registered metrics');
  yield* out.rest();
}

/**
 * Buffers of `CHUNK_SIZE` bytes to write the text into, kept for reuse once the caller is done
 * with them (`release`, e.g. when the socket has taken the bytes): a scrape of a large snapshot
 * is hundreds of chunks, and fresh ones would be native memory that only a garbage collection
 * gives back. At most `keep` free buffers are held.
 */
export class ChunkPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly own = new WeakSet<ArrayBuffer>();

  constructor(private readonly keep = 16) {}

  take(): Buffer {
    const reused = this.free.pop();
    if (reused) return Buffer.from(reused);
    const buffer = new ArrayBuffer(CHUNK_SIZE);
    this.own.add(buffer);
    return Buffer.from(buffer);
  }

  /** Gives back a chunk `prometheusText` handed out; others (and extras past `keep`) are left. */
  release(chunk: Buffer): void {
    const { buffer } = chunk;
    if (buffer instanceof ArrayBuffer && this.own.has(buffer) && this.free.length < this.keep) {
      if (!this.free.includes(buffer)) this.free.push(buffer);
    }
  }
}

const CHUNK_SIZE = 64 * 1024;

/**
 * Appends text to fixed-size buffers; full ones are taken out as the writing goes. Pieces are
 * gathered into a string of a few KB before they are encoded: one encoding call per piece (a
 * sample line is a dozen pieces) costs more than the string concatenation, which V8 does
 * without copying until the one encode.
 */
class ChunkWriter {
  private static readonly PENDING_CHARS = 4 * 1024;
  private buffer: Buffer;
  private used = 0;
  private pending = '';
  private done: Buffer[] = [];

  constructor(private readonly pool: ChunkPool) {
    this.buffer = pool.take();
  }

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= ChunkWriter.PENDING_CHARS) this.encodePending();
  }

  /** Whether a buffer filled since the last `full()`. */
  get hasFull(): boolean {
    return this.done.length > 0;
  }

  /** The buffers filled so far. */
  full(): Buffer[] {
    return this.done.splice(0);
  }

  /** Everything not taken yet, the last partial buffer included. */
  rest(): Buffer[] {
    this.encodePending();
    if (this.used > 0) this.done.push(this.buffer.subarray(0, this.used));
    else this.pool.release(this.buffer);
    return this.full();
  }

  private encodePending(): void {
    const text = this.pending;
    this.pending = '';
    if (text === '') return;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (this.used + bytes > this.buffer.length) {
      this.flush();
      // Larger than a whole chunk (a very long description or label value): its own buffer.
      if (bytes > this.buffer.length) {
        this.done.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  private flush(): void {
    if (this.used === 0) return;
    this.done.push(this.buffer.subarray(0, this.used));
    this.buffer = this.pool.take();
    this.used = 0;
  }
}

/**
 * Writes one metric, handing out each buffer as it fills; returns false when its name cannot
 * be a Prometheus name (then nothing is written).
 */
function* metricText(
  out: ChunkWriter,
  metric: MetricData,
  scopeLabels: string,
): Generator<Buffer, boolean> {
  let name = metricName(metric);
  if (name === undefined) return false;
  if (
    metric.dataPointType === DataPointType.SUM &&
    metric.isMonotonic &&
    !name.endsWith('_total')
  ) {
    name += '_total';
  }
  const { description, unit } = metric.descriptor;
  out.write(`# HELP ${name} ${escapeText(description || 'description missing')}\n`);
  if (unit) out.write(`# UNIT ${name} ${escapeText(unit)}\n`);
  out.write(`# TYPE ${name} ${prometheusType(metric)}\n`);
  switch (metric.dataPointType) {
    case DataPointType.SUM:
    case DataPointType.GAUGE:
      for (const point of metric.dataPoints) {
        writeSample(out, name, point.attributes, scopeLabels, point.value);
        if (out.hasFull) yield* out.full();
      }
      break;
    case DataPointType.HISTOGRAM:
      for (const point of metric.dataPoints) {
        writeHistogram(out, name, point.attributes, scopeLabels, point.value);
        if (out.hasFull) yield* out.full();
      }
      break;
    default:
      diag.error(`Unrecognizable DataPointType: ${metric.dataPointType} for metric "${name}"`);
  }
  return true;
}

function writeHistogram(
  out: ChunkWriter,
  name: string,
  attributes: Attributes,
  scopeLabels: string,
  histogram: Histogram,
): void {
  writeSample(out, `${name}_count`, attributes, scopeLabels, histogram.count);
  if (histogram.sum != null) {
    writeSample(out, `${name}_sum`, attributes, scopeLabels, histogram.sum);
  }
  const { boundaries, counts } = histogram.buckets;
  let cumulative = 0;
  let infinityListed = false;
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i]!;
    const bound = boundaries[i];
    if (bound === undefined && infinityListed) break;
    if (bound === Infinity) infinityListed = true;
    const le = bound === undefined || bound === Infinity ? '+Inf' : String(bound);
    writeSample(out, `${name}_bucket`, attributes, `${scopeLabels},le="${le}"`, cumulative);
  }
}

/**
 * One sample line: the point's labels are written piece by piece, never built as a string:
 * a snapshot has over 100 000 label sets, and their text would be most of a scrape's garbage.
 */
function writeSample(
  out: ChunkWriter,
  name: string,
  attributes: Attributes,
  scopeLabels: string,
  value: number,
): void {
  out.write(name);
  let first = true;
  for (const key in attributes) {
    out.write(first ? '{' : ',');
    first = false;
    writeLabel(out, key, attributes[key]);
  }
  if (scopeLabels) {
    out.write(first ? '{' : ',');
    first = false;
    out.write(scopeLabels);
  }
  out.write(first ? ' ' : '} ');
  out.write(valueText(value));
  out.write('\n');
}

function writeLabel(out: ChunkWriter, key: string, value: unknown): void {
  let prefix = labelPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${sanitizeName(key)}="`;
    if (labelPrefixes.size < 1_000) labelPrefixes.set(key, prefix);
  }
  out.write(prefix);
  if (typeof value === 'number' && Number.isFinite(value)) {
    out.write(valueText(value)); // what JSON.stringify gives for a finite number
  } else {
    const raw = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    out.write(NEEDS_ESCAPE.test(raw) ? escapeLabel(raw) : raw);
  }
  out.write('"');
}

/** `name="` per attribute key, sanitized once: a snapshot repeats a handful of keys. */
const labelPrefixes = new Map<string, string>();

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

/** `key="value",...` for the few label sets written once (resource, scope). */
function labelText(attributes: Attributes): string {
  const out = new ChunkWriter(new ChunkPool(0));
  let first = true;
  for (const key in attributes) {
    if (!first) out.write(',');
    first = false;
    writeLabel(out, key, attributes[key]);
  }
  return Buffer.concat(out.rest()).toString('utf8');
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

/** '0' to '1023': most values of a cluster snapshot (flags, counts, ids) are small integers. */
const SMALL_INTEGERS = Array.from({ length: 1024 }, (_, i) => String(i));

function valueText(value: number): string {
  if (value >= 0 && value < 1024 && Number.isInteger(value)) return SMALL_INTEGERS[value]!;
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return `${value}`;
}
