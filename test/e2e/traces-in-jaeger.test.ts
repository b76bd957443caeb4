/**
 * Issue 5, e2e 2: one trace across two processes, in Jaeger. A CommonJS producer app handles an
 * HTTP request by sending a Kafka message; an ES-module consumer app processes it. Both run
 * under kafka-otel/register only and push OTLP to the Collector, which forwards traces to
 * Jaeger; Jaeger's query API must return ONE trace holding the HTTP server span, the `send`
 * span and the `process` span.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestKafka } from '../support/kafka-client';
import { randomGroup, randomTopic, uniqueName } from '../support/names';
import {
  jaegerTraces,
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

const kindOf = (span: JaegerSpan): unknown => spanTag(span, 'span.kind');

describe('HTTP -> send -> process: one trace in Jaeger across two processes', () => {
  const topic = randomTopic('e2e-traced-orders');
  const group = randomGroup('e2e-traced-billing');
  const producerService = uniqueName('e2e-orders-api');
  const consumerService = uniqueName('e2e-billing-worker');
  const apps: RunningApp[] = [];
  let admin: Admin;
  let producer: RunningApp;
  let consumer: RunningApp;

  beforeAll(async () => {
    admin = createTestKafka().admin();
    await admin.connect();
    await createTopicAndWait(admin, { topic, numPartitions: 1, replicationFactor: 1 });
    const common = { brokers, otlpEndpoint: stack.otlpHttp };
    [producer, consumer] = await Promise.all([
      startApp({ ...common, kind: 'cjs', service: producerService }),
      startApp({ ...common, kind: 'esm', service: consumerService, consume: { topic, group } }),
    ]);
    apps.push(producer, consumer);
  });

  afterAll(async () => {
    await stopAll(apps);
    await admin?.disconnect();
  });

  it('returns the server, send and process spans in a single trace', async () => {
    await callApp(producer, 'POST', `/publish?topic=${topic}&count=1`);
    await waitFor(
      async () =>
        (await callApp<{ consumed: number }>(consumer, 'GET', '/consumed')).consumed === 1,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: 'the consumer app to process the message',
      },
    );

    // Spans reach Jaeger in several exports (two apps, the Collector's 5 s batch): wait for a
    // trace of the producer's service that holds all three.
    const trace = await waitFor(
      async () => {
        const traces = await jaegerTraces(stack.jaeger, producerService);
        const withSend = traces.filter((t) =>
          t.spans.some((s) => s.operationName === `send ${topic}`),
        );
        if (withSend.length > 1) throw new Error(`${withSend.length} traces hold a send span`);
        const found = withSend[0];
        const complete =
          found?.spans.some((s) => kindOf(s) === 'server') &&
          found.spans.some((s) => s.operationName === `process ${topic}`);
        if (!complete) {
          throw new Error(
            `traces of ${producerService}: ${JSON.stringify(traces.map((t) => t.spans.map((s) => s.operationName)))}`,
          );
        }
        return found;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: `one trace with server, send and process spans`,
      },
    );

    const server = only(trace, (s) => kindOf(s) === 'server');
    const send = only(trace, (s) => s.operationName === `send ${topic}`);
    const processSpan = only(trace, (s) => s.operationName === `process ${topic}`);

    expect(spanService(trace, server)).toBe(producerService);
    expect(spanTag(server, 'http.request.method') ?? spanTag(server, 'http.method')).toBe('POST');
    expect(spanService(trace, send)).toBe(producerService);
    expect(kindOf(send)).toBe('producer');
    expect(spanService(trace, processSpan)).toBe(consumerService);
    expect(kindOf(processSpan)).toBe('consumer');
    expect(spanTag(processSpan, 'messaging.consumer.group.name')).toBe(group);

    // The chain of parents: HTTP request -> send (same process) -> process (other process).
    expect(parentOf(send)).toBe(server.spanID);
    expect(parentOf(processSpan)).toBe(send.spanID);
    expect(new Set(trace.spans.map((s) => spanService(trace, s)))).toEqual(
      new Set([producerService, consumerService]),
    );
  });
});

function only(trace: JaegerTrace, match: (span: JaegerSpan) => boolean): JaegerSpan {
  const spans = trace.spans.filter(match);
  expect(spans, JSON.stringify(trace.spans.map((s) => s.operationName))).toHaveLength(1);
  return spans[0] as JaegerSpan;
}

function parentOf(span: JaegerSpan): string | undefined {
  return span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
}
