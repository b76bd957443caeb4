/**
 * instrumentBrokerHandler on a Kafka-protocol server written in Node, driven by a real KafkaJS
 * admin client: the server-side metrics and spans must match the requests KafkaJS sent.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type * as KafkaJs from 'kafkajs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentBrokerHandler } from '../../../src';
import {
  fakeKafkaHandler,
  startFakeKafkaServer,
  type FakeKafkaServer,
} from '../../support/fake-kafka-server';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { waitFor } from '../../support/wait-for';

const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof KafkaJs;
const harness = new TelemetryHarness();
let server: FakeKafkaServer;

const handler = instrumentBrokerHandler(
  fakeKafkaHandler(() => server.port, ['orders', 'payments']),
  {
    meterProvider: harness.meterProvider,
    tracerProvider: harness.tracerProvider,
    serverAddress: '127.0.0.1',
  },
);

beforeAll(async () => {
  server = await startFakeKafkaServer(handler, (socket) => handler.trackConnection(socket));
});
afterAll(async () => {
  await server.close();
  await harness.shutdown();
});

describe('instrumentBrokerHandler', () => {
  it('records each API KafkaJS called, with sizes, error names, connections and SERVER spans', async () => {
    const kafka = new Kafka({
      clientId: 'handler-test',
      brokers: [`127.0.0.1:${server.port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    expect((await harness.points('kafka.server.connections'))[0]?.value).toBeGreaterThanOrEqual(1);

    expect((await admin.listTopics()).sort()).toEqual(['orders', 'payments']);
    const missing = await admin
      .fetchTopicMetadata({ topics: ['missing'] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Error);
    await admin.disconnect();

    const duration = (where: Record<string, string | number>) =>
      harness.total('kafka.server.request.duration', where);
    expect(
      await duration({ 'kafka.api.name': 'ApiVersions', 'kafka.api.key': 18 }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await duration({ 'kafka.api.name': 'Metadata', 'kafka.api.version': 0 }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await duration({ 'kafka.api.name': 'Metadata', 'error.type': 'UNKNOWN_TOPIC_OR_PARTITION' }),
    ).toBeGreaterThanOrEqual(1);

    const [requestSize] = await harness.points('kafka.server.request.size', {
      'kafka.api.name': 'ApiVersions',
    });
    // ApiVersions v2 from KafkaJS: 4 size + 10 header + 12-byte client id, empty body.
    expect(requestSize!.sum! / requestSize!.value).toBe(4 + 10 + 'handler-test'.length);
    expect((await harness.points('kafka.server.response.size'))[0]?.sum).toBeGreaterThan(0);

    const spans = harness.spansNamed('Metadata');
    expect(spans.length).toBeGreaterThanOrEqual(2);
    expect(spans.every((span) => span.kind === SpanKind.SERVER)).toBe(true);
    expect(spans[0]!.attributes).toMatchObject({
      'kafka.api.key': 3,
      'messaging.client.id': 'handler-test',
      'network.peer.address': '127.0.0.1',
      'server.address': '127.0.0.1',
    });
    expect(spans.some((span) => span.status.code === SpanStatusCode.ERROR)).toBe(true);

    // The socket closed: the connection gauge is back to 0.
    await waitFor(async () => (await harness.points('kafka.server.connections'))[0]?.value === 0, {
      description: 'connections back to 0',
    });
  });

  it('passes a handler error through unchanged and records its type', async () => {
    const failure = new RangeError('decoder bug');
    const failing = instrumentBrokerHandler(() => Promise.reject(failure), {
      meterProvider: harness.meterProvider,
      tracerProvider: harness.tracerProvider,
    });
    const thrown = await failing({
      apiKey: 0,
      apiVersion: 9,
      correlationId: 1,
      clientId: 'x',
    }).catch((e: unknown) => e);
    expect(thrown).toBe(failure);
    expect(
      await harness.total('kafka.server.request.duration', {
        'kafka.api.name': 'Produce',
        'error.type': 'RangeError',
      }),
    ).toBe(1);
  });
});
