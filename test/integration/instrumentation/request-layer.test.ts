/**
 * The protocol request layer under failure: a broker that never answers one request. KafkaJS
 * talks to a Node Kafka-protocol server here because a real broker cannot be told to stall
 * exactly one request; everything on the client side is the real KafkaJS.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeKafkaHandler,
  startFakeKafkaServer,
  type FakeKafkaServer,
  type FakeRequest,
} from '../../support/fake-kafka-server';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { waitFor } from '../../support/wait-for';

const { harness, kafkajs, shutdown } = instrumentKafkaJs({ requestSpans: true });
let server: FakeKafkaServer;

beforeAll(async () => {
  const answer = fakeKafkaHandler(() => server.port, ['orders']);
  // Metadata for the topic `stall` never gets an answer.
  const stallingHandler = (request: FakeRequest) =>
    request.apiKey === 3 && request.body.includes('stall')
      ? new Promise<never>(() => undefined)
      : answer(request);
  server = await startFakeKafkaServer(stallingHandler, () => undefined);
});
afterAll(async () => {
  await server.close();
  await shutdown();
});

describe('request layer', () => {
  it('records timeouts, request spans and connections by client kind', async () => {
    const kafka = new kafkajs.Kafka({
      clientId: 'stalled',
      brokers: [`127.0.0.1:${server.port}`],
      logLevel: kafkajs.logLevel.NOTHING,
      requestTimeout: 300,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    const broker = { 'server.address': '127.0.0.1', 'server.port': server.port };
    expect(
      await harness.total('kafka.client.connections', { ...broker, 'kafka.client.kind': 'admin' }),
    ).toBe(1);

    const thrown = await admin.fetchTopicMetadata({ topics: ['stall'] }).catch((e: unknown) => e);
    expect((thrown as Error).name).toMatch(/KafkaJS/);

    expect(
      await harness.total('kafka.client.request.timeouts', {
        'kafka.api.name': 'Metadata',
        ...broker,
      }),
    ).toBe(1);
    expect(
      await harness.total('kafka.client.request.duration', {
        'kafka.api.name': 'Metadata',
        'error.type': 'timeout',
      }),
    ).toBe(1);
    const [timedOut] = harness
      .spansNamed('Metadata')
      .filter((s) => s.attributes['error.type'] === 'timeout');
    expect(timedOut).toBeDefined();
    expect(timedOut!.kind).toBe(SpanKind.CLIENT);
    expect(timedOut!.status.code).toBe(SpanStatusCode.ERROR);
    const [versions] = harness.spansNamed('ApiVersions');
    expect(versions!.attributes).toMatchObject({
      'kafka.api.key': 18,
      'messaging.client.id': 'stalled',
      ...broker,
    });
    expect(versions!.status.code).toBe(SpanStatusCode.UNSET);

    await admin.disconnect();
    await waitFor(async () => (await harness.total('kafka.client.connections', broker)) === 0, {
      description: 'connections back to 0 after disconnect',
    });
  });
});
