import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OTLP/JSON attribute values, as the JS exporters send them. */
interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}

/** A span as received, with attributes flattened to an object. */
export interface ReceivedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

/** A metric data point as received. */
export interface ReceivedPoint {
  metric: string;
  attributes: Record<string, unknown>;
  value: number | undefined;
  resource: Record<string, unknown>;
}

/** OTLP span kinds (SPAN_KIND_*). */
export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

function flatten(attributes: KeyValue[] | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    result[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue;
  }
  return result;
}

/**
 * A minimal OTLP/HTTP JSON receiver (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) on a loopback
 * port: keeps every span and metric point it is sent, and the request headers.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly points: ReceivedPoint[] = [];
  readonly headers: IncomingHttpHeaders[] = [];
  private server: Server | undefined;

  /** Starts listening; resolves with the base URL (e.g. http://127.0.0.1:12345). */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        this.headers.push(request.headers);
        try {
          if (request.url === '/v1/traces') this.addSpans(JSON.parse(body) as TracesBody);
          if (request.url === '/v1/metrics') this.addMetrics(JSON.parse(body) as MetricsBody);
          response.setHeader('content-type', 'application/json');
          response.end('{}');
        } catch {
          response.statusCode = 400;
          response.end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private addSpans(body: TracesBody) {
    for (const rs of body.resourceSpans ?? []) {
      const resource = flatten(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          this.spans.push({
            name: span.name,
            kind: span.kind,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            attributes: flatten(span.attributes),
            resource,
          });
        }
      }
    }
  }

  private addMetrics(body: MetricsBody) {
    for (const rm of body.resourceMetrics ?? []) {
      const resource = flatten(rm.resource?.attributes);
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          const points =
            metric.gauge?.dataPoints ??
            metric.sum?.dataPoints ??
            metric.histogram?.dataPoints ??
            [];
          for (const p of points) {
            const value = p.asInt !== undefined ? Number(p.asInt) : (p.asDouble ?? p.count);
            this.points.push({
              metric: metric.name,
              attributes: flatten(p.attributes),
              value: value === undefined ? undefined : Number(value),
              resource,
            });
          }
        }
      }
    }
  }
}

interface RawSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes?: KeyValue[];
}

interface RawPoint {
  attributes?: KeyValue[];
  asInt?: number | string;
  asDouble?: number;
  count?: number | string;
}

interface RawMetric {
  name: string;
  gauge?: { dataPoints?: RawPoint[] };
  sum?: { dataPoints?: RawPoint[] };
  histogram?: { dataPoints?: RawPoint[] };
}

interface TracesBody {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { spans?: RawSpan[] }[];
  }[];
}

interface MetricsBody {
  resourceMetrics?: {
    resource?: { attributes?: KeyValue[] };
    scopeMetrics?: { metrics?: RawMetric[] }[];
  }[];
}
