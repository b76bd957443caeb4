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
    // One socket: the broker the Metadata answers name is the bootstrap address, so KafkaJS keeps
    // using its bootstrap connection (and opens its second one only for Fetch, never sent here).
    expect((await harness.points('kafka.server.connections')).map((p) => p.value)).toEqual([1]);

    expect((await admin.listTopics()).sort()).toEqual(['orders', 'payments']);
    const missing = await admin
      .fetchTopicMetadata({ topics: ['missing'] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Error);
    await admin.disconnect();

    // What KafkaJS 2.2.4 sends for these calls: ApiVersions once on connect. listTopics asks
    // for all topics twice (the cluster's first metadata refresh, then the call's own request);
    // fetchTopicMetadata of a topic the cached metadata lacks refreshes with it, and that one
    // request fails (the admin client has no retries). Three Metadata requests, the last failed.
    const duration = (where: Record<string, string | number>) =>
      harness.total('kafka.server.request.duration', where);
    expect(await duration({ 'kafka.api.name': 'ApiVersions', 'kafka.api.key': 18 })).toBe(1);
    expect(await duration({ 'kafka.api.name': 'Metadata', 'kafka.api.version': 0 })).toBe(3);
    expect(
      await duration({ 'kafka.api.name': 'Metadata', 'error.type': 'UNKNOWN_TOPIC_OR_PARTITION' }),
    ).toBe(1);
    // Nothing else: every request this server's handler saw (its points carry its address).
    expect(await duration({ 'server.address': '127.0.0.1' })).toBe(4);

    const [requestSize] = await harness.points('kafka.server.request.size', {
      'kafka.api.name': 'ApiVersions',
    });
    // ApiVersions v2 from KafkaJS: 4 size + 10 header + 12-byte client id, empty body.
    expect(requestSize!.sum! / requestSize!.value).toBe(4 + 10 + 'handler-test'.length);
    const [responseSize] = await harness.points('kafka.server.response.size', {
      'kafka.api.name': 'ApiVersions',
    });
    // The fake's ApiVersions v2 answer: 4 size + 4 correlation id + 2 error code + a 4-byte array
    // length and two 6-byte entries (key, min, max) + 4 throttle time.
    expect(responseSize).toMatchObject({ value: 1, sum: 4 + 4 + 2 + 4 + 2 * 6 + 4 });

    const spans = harness.spansNamed('Metadata');
    expect(spans).toHaveLength(3);
    expect(spans.every((span) => span.kind === SpanKind.SERVER)).toBe(true);
    expect(spans[0]!.attributes).toMatchObject({
      'kafka.api.key': 3,
      'messaging.client.id': 'handler-test',
      'network.peer.address': '127.0.0.1',
      'server.address': '127.0.0.1',
    });
    expect(spans.map((span) => span.status.code)).toEqual([
      SpanStatusCode.UNSET,
      SpanStatusCode.UNSET,
      SpanStatusCode.ERROR,
    ]);
    expect(spans[2]!.attributes['error.type']).toBe('UNKNOWN_TOPIC_OR_PARTITION');

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
