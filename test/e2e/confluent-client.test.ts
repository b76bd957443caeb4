/**
 * Issue 13, e2e: a plain CommonJS service on Confluent's `@confluentinc/kafka-javascript` (no
 * OpenTelemetry code), started with `--require kafka-otel/register` only, pushes OTLP to the
 * real Collector. Jaeger's query API must return the trace an HTTP request starts (server span
 * -> one `send` span per message -> the `process` span of each), and Prometheus's HTTP API the
 * exact counts and the librdkafka statistics the app's clients reported. A second app with
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS=confluent-kafka` keeps its HTTP spans and loses the
 * Kafka telemetry: register instruments the client because of that switch, not by accident.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestKafka } from '../support/kafka-client';
import { randomGroup, randomTopic, uniqueName } from '../support/names';
import {
  jaegerTraces,
  promQuery,
  promValue,
  spanService,
  spanTag,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/otel-stack-queries';
import '../support/otel-stack-context';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';
import { callApp, startApp, type RunningApp } from './support/app-process';
import { stopAll } from './support/child-process';

const stack = inject('otelStack');
const brokers = inject('kafkaBrokers');

/** Messages the request sends: one partition, so their offsets are exactly 0..COUNT-1. */
const COUNT = 3;

const kindOf = (span: JaegerSpan): unknown => spanTag(span, 'span.kind');
const parentOf = (span: JaegerSpan): string | undefined =>
  span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;

/** Waits until an instant query yields exactly `expected` (Prometheus scrapes every second). */
async function expectPromValue(expr: string, expected: number): Promise<void> {
  await waitFor(
    async () => {
      const value = await promValue(stack.prometheus, expr);
      if (value !== expected) throw new Error(`${expr} is ${value ?? 'absent'}, want ${expected}`);
      return true;
    },
    { timeoutMs: 45_000, intervalMs: 500, description: expr },
  );
}

describe('zero-code app on @confluentinc/kafka-javascript -> Collector -> Jaeger and Prometheus', () => {
  const topic = randomTopic('e2e-confluent-orders');
  const group = randomGroup('e2e-confluent-billing');
  const service = uniqueName('e2e-confluent-app');
  const untracedTopic = randomTopic('e2e-confluent-untraced');
  const untracedService = uniqueName('e2e-confluent-disabled');
  const apps: RunningApp[] = [];
  let admin: Admin;
  let app: RunningApp;
  let untraced: RunningApp;

  beforeAll(async () => {
    admin = createTestKafka().admin();
    await admin.connect();
    await Promise.all(
      [topic, untracedTopic].map((name) =>
        createTopicAndWait(admin, { topic: name, numPartitions: 1, replicationFactor: 1 }),
      ),
    );
    const common = { kind: 'confluent', brokers, otlpEndpoint: stack.otlpHttp } as const;
    const started = await Promise.allSettled([
      startApp({
        ...common,
        service,
        consume: { topic, group },
        // Statistics every second instead of 5: the lag and round trip show up sooner.
        env: { KAFKA_OTEL_STATISTICS_INTERVAL: '1000' },
      }),
      startApp({
        ...common,
        service: untracedService,
        env: { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'confluent-kafka' },
      }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    [app, untraced] = apps as [RunningApp, RunningApp];
    // The messages of the tests below, produced and consumed once for all of them.
    await callApp(app, 'POST', `/publish?topic=${topic}&count=${COUNT}`);
    await waitFor(
      async () => (await callApp<{ consumed: number }>(app, 'GET', '/consumed')).consumed === COUNT,
      { timeoutMs: 30_000, intervalMs: 200, description: `${service} to consume ${COUNT}` },
    );
  });

  afterAll(async () => {
    await stopAll(apps);
    await admin?.disconnect();
  });

  it('traces the request into one send span per message and their process spans, in Jaeger', async () => {
    // The consumer's spans end last and may reach Jaeger in a later export than the rest.
    const trace = await waitFor(
      async () => {
        const traces = await jaegerTraces(stack.jaeger, service);
        const withSend = traces.filter((t) =>
          t.spans.some((s) => s.operationName === `send ${topic}`),
        );
        if (withSend.length > 1) throw new Error(`${withSend.length} traces hold a send span`);
        const found = withSend[0];
        if (found?.spans.filter((s) => s.operationName === `process ${topic}`).length !== COUNT) {
          throw new Error(`traces of ${service}: ${JSON.stringify(traces.map(operations))}`);
        }
        return found;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: `the trace of ${service}'s request` },
    );

    // Nothing else in it: the HTTP request, a send and a process span per message.
    const server = trace.spans.filter((s) => kindOf(s) === 'server');
    const sends = trace.spans.filter((s) => s.operationName === `send ${topic}`);
    const processes = trace.spans.filter((s) => s.operationName === `process ${topic}`);
    expect(server, JSON.stringify(operations(trace))).toHaveLength(1);
    expect(trace.spans).toHaveLength(1 + 2 * COUNT);
    const request = server[0] as JaegerSpan;
    expect(spanTag(request, 'http.request.method') ?? spanTag(request, 'http.method')).toBe('POST');

    expect(new Set(trace.spans.map((s) => spanService(trace, s)))).toEqual(new Set([service]));
    expect(new Set(trace.spans.map((s) => s.traceID))).toEqual(new Set([trace.traceID]));

    // Each message's send span, child of the request, with the position the delivery report gave.
    const position = (span: JaegerSpan) => ({
      partition: spanTag(span, 'messaging.destination.partition.id'),
      offset: spanTag(span, 'kafka.offset'),
    });
    for (const send of sends) {
      expect(kindOf(send)).toBe('producer');
      expect(parentOf(send)).toBe(request.spanID);
      expect(spanTag(send, 'messaging.system')).toBe('kafka');
      expect(spanTag(send, 'messaging.destination.name')).toBe(topic);
    }
    expect(sends.map(position).sort((a, b) => Number(a.offset) - Number(b.offset))).toEqual(
      Array.from({ length: COUNT }, (_, offset) => ({ partition: '0', offset })),
    );

    // Each process span is the child of the send span of the message it handled: one each.
    const sendById = new Map(sends.map((s) => [s.spanID, s]));
    for (const processSpan of processes) {
      expect(kindOf(processSpan)).toBe('consumer');
      expect(spanTag(processSpan, 'messaging.consumer.group.name')).toBe(group);
      const parent = sendById.get(parentOf(processSpan) ?? '');
      expect(parent, `parent of process span ${processSpan.spanID}`).toBeDefined();
      expect(position(processSpan)).toEqual(position(parent as JaegerSpan));
    }
    expect(new Set(processes.map(parentOf))).toEqual(new Set(sendById.keys()));
  });

  it('counts exactly the messages sent and consumed, in Prometheus', async () => {
    const of = `job="${service}", messaging_destination_name="${topic}"`;
    await expectPromValue(`sum(messaging_client_sent_messages_total{${of}})`, COUNT);
    await expectPromValue(
      `sum(messaging_client_consumed_messages_total{${of}, messaging_consumer_group_name="${group}"})`,
      COUNT,
    );
  });

  it("exports librdkafka's statistics: the broker round trip, and the group's lag reaching 0", async () => {
    // Both clients (producer and consumer) talked to the broker: each reports a round trip, in
    // seconds. The consumer's includes the broker holding its Fetch up to fetch.wait.max.ms
    // (about 0.5 s here); librdkafka's microseconds left unconverted would be ~500000.
    const roundTrips = await waitFor(
      async () => {
        const samples = await promQuery(
          stack.prometheus,
          `kafka_client_broker_round_trip_time_average{job="${service}"}`,
        );
        const kinds = new Set(samples.map((s) => s.labels.kafka_client_kind));
        return kinds.has('producer') && kinds.has('consumer') && samples;
      },
      { timeoutMs: 45_000, intervalMs: 500, description: `round trips of ${service}'s clients` },
    );
    for (const { labels, value } of roundTrips) {
      expect(value, JSON.stringify(labels)).toBeGreaterThan(0);
      expect(value, JSON.stringify(labels)).toBeLessThan(10);
    }
    // Everything consumed is committed (auto-commit) and the next statistics report lag 0.
    await expectPromValue(
      `kafka_consumer_lag{job="${service}", messaging_consumer_group_name="${group}", ` +
        `messaging_destination_name="${topic}", messaging_destination_partition_id="0"}`,
      0,
    );
  });

  it('exports no Kafka telemetry with OTEL_NODE_DISABLED_INSTRUMENTATIONS=confluent-kafka', async () => {
    await callApp(untraced, 'POST', `/publish?topic=${untracedTopic}&count=1`);
    // The send ends before the response does: once the request's span is in Jaeger, a send
    // span would be too (same export or an earlier one).
    const traces = await waitFor(
      async () => {
        const found = await jaegerTraces(stack.jaeger, untracedService);
        return found.some((t) => t.spans.some((s) => kindOf(s) === 'server')) && found;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: `the request span of ${untracedService}` },
    );
    expect(traces.flatMap(operations)).toEqual([expect.stringMatching(/^POST/)]);

    // Likewise the HTTP duration is recorded after the send was counted.
    const of = `job="${untracedService}"`;
    await waitFor(
      async () => (await promValue(stack.prometheus, `count({${of}, __name__=~"http_.*"})`)) ?? 0,
      { timeoutMs: 45_000, intervalMs: 500, description: `HTTP metrics of ${untracedService}` },
    );
    const kafkaSeries = await promQuery(
      stack.prometheus,
      `{${of}, __name__=~"messaging_.*|kafka_.*"}`,
    );
    expect(kafkaSeries.map((s) => s.labels.__name__)).toEqual([]);
  });
});

function operations(trace: JaegerTrace): string[] {
  return trace.spans.map((s) => s.operationName);
}
