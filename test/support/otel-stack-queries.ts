/**
 * Typed reads of the real backends: Prometheus's HTTP API and Jaeger's query API. They return
 * what the backend holds right now; tests poll them with waitFor.
 */

export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

interface PromAnswer {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value: [number, string] }>;
  };
}

/** An instant query (`GET /api/v1/query`); a PromQL error throws with Prometheus's message. */
export async function promQuery(prometheusUrl: string, expr: string): Promise<PromSample[]> {
  const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const answer = (await response.json()) as PromAnswer;
  if (answer.status !== 'success' || !answer.data) {
    throw new Error(`Prometheus rejected ${expr}: ${answer.error ?? response.status}`);
  }
  if (answer.data.resultType !== 'vector') {
    throw new Error(`expected an instant vector from ${expr}, got ${answer.data.resultType}`);
  }
  return answer.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/** The single value of a query that must yield exactly one series (e.g. a `sum(...)`). */
export async function promValue(prometheusUrl: string, expr: string): Promise<number | undefined> {
  const samples = await promQuery(prometheusUrl, expr);
  if (samples.length > 1)
    throw new Error(`${expr} returned ${samples.length} series, expected one`);
  return samples[0]?.value;
}

/** Health of every active scrape target, by job (`GET /api/v1/targets`). */
export async function promTargets(
  prometheusUrl: string,
): Promise<Array<{ job: string; health: string; lastError: string; scrapeUrl: string }>> {
  const response = await fetch(`${prometheusUrl}/api/v1/targets`, {
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await response.json()) as {
    data: {
      activeTargets: Array<{
        labels: { job: string };
        health: string;
        lastError: string;
        scrapeUrl: string;
      }>;
    };
  };
  return answer.data.activeTargets.map((t) => ({
    job: t.labels.job,
    health: t.health,
    lastError: t.lastError,
    scrapeUrl: t.scrapeUrl,
  }));
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; traceID: string; spanID: string }>;
  tags: Array<{ key: string; value: unknown }>;
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

/** Traces with at least one span of `service` (`GET /api/traces?service=...`). */
export async function jaegerTraces(jaegerUrl: string, service: string): Promise<JaegerTrace[]> {
  const url = `${jaegerUrl}/api/traces?service=${encodeURIComponent(service)}&limit=100&lookback=1h`;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const answer = (await response.json()) as { data: JaegerTrace[] | null; errors?: unknown };
  if (!response.ok)
    throw new Error(`Jaeger answered ${response.status}: ${JSON.stringify(answer.errors)}`);
  return answer.data ?? [];
}

/** A span's tag value (`span.kind`, `messaging.destination.name`, ...). */
export function spanTag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}

/** The service that emitted a span, from the trace's process table. */
export function spanService(trace: JaegerTrace, span: JaegerSpan): string | undefined {
  return trace.processes[span.processID]?.serviceName;
}
