/** Prints what the demo exported: selected Prometheus series and one end-to-end trace. */
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** Exposition names: dots become underscores, counters get `_total`, histograms `_count`. */
const INTERESTING = [
  'messaging_client_sent_messages_total',
  'messaging_client_consumed_messages_total',
  'messaging_process_duration_count',
  'kafka_consumer_lag',
  'kafka_consumer_rebalances_total',
  'kafka_consumer_end_to_end_latency_count',
  'kafka_client_request_duration_count',
  // From KafkaClusterCollector: the cluster as the admin protocol reports it.
  'kafka_brokers',
  'kafka_partition_current_offset',
  'kafka_consumer_group_lag',
  'kafka_consumer_group_members',
  'kafka_collector_up',
];

/** Scrapes the Prometheus endpoint the way Prometheus would and keeps the headline series. */
export async function headlineSeries(metricsUrl: string): Promise<string[]> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => INTERESTING.some((name) => line.startsWith(`${name}{`)))
    .filter(
      (line) => !line.includes('kafka_api_name') || /kafka_api_name="(Produce|Fetch)"/.test(line),
    )
    .map(withoutRoutineLabels);
}

/** Labels every series carries (scope, system, broker address) are dropped for reading. */
const ROUTINE_LABELS =
  /(otel_scope_name|otel_scope_version|messaging_system|messaging_operation_type|server_address|server_port|kafka_api_key|kafka_api_version)="[^"]*",?/g;

function withoutRoutineLabels(line: string): string {
  return line.replace(ROUTINE_LABELS, '').replace(',}', '}');
}

/** The spans of one trace as an indented tree, root first. */
export function traceTree(spans: ReadableSpan[], traceId: string): string[] {
  const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
  const children = new Map<string | undefined, ReadableSpan[]>();
  for (const span of inTrace) {
    const parent = span.parentSpanContext?.spanId;
    const known = inTrace.some((s) => s.spanContext().spanId === parent) ? parent : undefined;
    children.set(known, [...(children.get(known) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      const ms = (span.duration[0] * 1e3 + span.duration[1] / 1e6).toFixed(1);
      const attrs = [
        'messaging.destination.partition.id',
        'kafka.offset',
        'messaging.consumer.group.name',
      ]
        .filter((k) => span.attributes[k] !== undefined)
        .map((k) => `${k}=${String(span.attributes[k])}`)
        .join(' ');
      lines.push(`${'  '.repeat(depth)}${span.name} (${ms} ms) ${attrs}`.trimEnd());
      walk(span.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}
