/**
 * Who the client is, as spans and application test suites see it (issue #8): the real cluster
 * id on send and process spans (also under the legacy `messaging.kafka.cluster.id` name when
 * asked), and the exported `Kafka` being KafkaJS's own class, so that stubbing its prototype the
 * way application tests do reaches every client, while normal clients stay instrumented.
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Kafka, KafkaConfig, Producer, ProducerConfig } from 'kafkajs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { waitFor } from '../../support/wait-for';

const { harness, instrumentation, kafkajs, brokers, createKafka, createTopic, shutdown } =
  instrumentKafkaJs();
const nodeRequire = createRequire(import.meta.url);
let kafka: Kafka;
let clusterId: string;

beforeAll(async () => {
  kafka = createKafka('client-identity');
  const admin = kafka.admin();
  await admin.connect();
  try {
    clusterId = (await admin.describeCluster()).clusterId;
  } finally {
    await admin.disconnect();
  }
  expect(clusterId).toMatch(/^[\w-]{22}$/);
});
afterAll(shutdown);

/** Sends two messages and reads them back with eachMessage; returns the topic's spans. */
async function sendAndConsume(prefix: string) {
  const topic = await createTopic(1, prefix);
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      { key: 'a', value: 'first' },
      { key: 'b', value: 'second' },
    ],
  });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: randomGroup('identity'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: () => Promise.resolve() });
    await waitFor(() => harness.spansNamed(`process ${topic}`).length >= 2, {
      description: `2 process spans of ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  const sends = harness.spansNamed(`send ${topic}`);
  const processes = harness.spansNamed(`process ${topic}`);
  expect(sends).toHaveLength(2);
  expect(processes).toHaveLength(2);
  return [...sends, ...processes];
}

/** [operation, kafka.cluster.id, messaging.kafka.cluster.id] per span, for one readable diff. */
const clusterIdsOf = (spans: ReadableSpan[]) =>
  spans.map((span) => [
    span.name.split(' ')[0],
    span.attributes['kafka.cluster.id'],
    span.attributes['messaging.kafka.cluster.id'],
  ]);

/** A client configured like the application's, from the class the package exports. */
function newKafka(clientId: string): Kafka {
  const config: KafkaConfig = { clientId, brokers, logLevel: kafkajs.logLevel.NOTHING };
  return new kafkajs.Kafka(config);
}

describe('kafka.cluster.id on send and process spans', () => {
  it('with emitLegacyKafkaAttributes: kafka.cluster.id and messaging.kafka.cluster.id, both the real cluster id', async () => {
    instrumentation.setConfig({ emitLegacyKafkaAttributes: true });
    try {
      const spans = await sendAndConsume('cluster-id-legacy');
      expect(clusterIdsOf(spans)).toEqual([
        ['send', clusterId, clusterId],
        ['send', clusterId, clusterId],
        ['process', clusterId, clusterId],
        ['process', clusterId, clusterId],
      ]);
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('by default: kafka.cluster.id only', async () => {
    const spans = await sendAndConsume('cluster-id');
    expect(clusterIdsOf(spans)).toEqual([
      ['send', clusterId, undefined],
      ['send', clusterId, undefined],
      ['process', clusterId, undefined],
      ['process', clusterId, undefined],
    ]);
  });
});

describe('the exported Kafka class', () => {
  it("is KafkaJS's own class: require('kafkajs').Kafka === require('kafkajs/src/index.js')", () => {
    const own = nodeRequire('kafkajs/src/index.js') as typeof kafkajs.Kafka;
    expect(kafkajs.Kafka).toBe(own);
    expect((nodeRequire('kafkajs') as typeof kafkajs).Kafka).toBe(own);
    expect(Object.getPrototypeOf(newKafka('identity-class'))).toBe(own.prototype);
    // So the factories a stub replaces are the prototype's own properties.
    for (const factory of ['producer', 'consumer', 'admin']) {
      expect(Object.hasOwn(kafkajs.Kafka.prototype, factory), factory).toBe(true);
    }
  });

  it('a stub assigned to Kafka.prototype.producer is what new Kafka().producer() calls', () => {
    const proto = kafkajs.Kafka.prototype;
    const before = Object.getOwnPropertyDescriptor(proto, 'producer');
    const fake = { stub: true } as unknown as Producer;
    const calls: { self: unknown; config: ProducerConfig | undefined }[] = [];
    proto.producer = function stubbedProducer(this: Kafka, config?: ProducerConfig) {
      calls.push({ self: this, config });
      return fake;
    };
    try {
      const client = newKafka('stubbed-by-assignment');
      expect(client.producer({ idempotent: true })).toBe(fake);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.self).toBe(client);
      expect(calls[0]!.config).toEqual({ idempotent: true });
    } finally {
      if (before) Object.defineProperty(proto, 'producer', before);
      else Reflect.deleteProperty(proto, 'producer');
    }
    expect(Object.getOwnPropertyDescriptor(proto, 'producer')).toEqual(before);
  });

  it('vi.spyOn(Kafka.prototype, "producer") intercepts producer(), and mockRestore puts the prototype back', () => {
    const proto = kafkajs.Kafka.prototype;
    const before = Object.getOwnPropertyDescriptor(proto, 'producer');
    const fake = { stub: true } as unknown as Producer;
    const spy = vi.spyOn(proto, 'producer').mockReturnValue(fake);
    try {
      const client = newKafka('stubbed-by-spy');
      expect(client.producer()).toBe(fake);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.contexts[0]).toBe(client);
    } finally {
      spy.mockRestore();
    }
    expect(Object.getOwnPropertyDescriptor(proto, 'producer')).toEqual(before);
  });

  it('a stub on Kafka.prototype.producer still reaches clients made from require("kafkajs").Kafka after the instrumentation was disabled and enabled again', () => {
    // An application test suite keeps the class it imported once; the SDK is restarted between
    // suites (disable, enable), and application code required later builds its clients.
    const { Kafka: imported } = kafkajs;
    instrumentation.disable();
    instrumentation.enable();
    const requiredLater = (nodeRequire('kafkajs') as typeof kafkajs).Kafka;
    const fake = { stub: true } as unknown as Producer;
    const spy = vi.spyOn(imported.prototype, 'producer').mockReturnValue(fake);
    try {
      const client = new requiredLater({
        clientId: 'stubbed-after-restart',
        brokers,
        logLevel: kafkajs.logLevel.NOTHING,
      });
      expect(client.producer(), 'the stub answered').toBe(fake);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect(requiredLater).toBe(imported);
  });

  it('a producer created normally, after the stubs are gone, is instrumented', async () => {
    const topic = await createTopic(1, 'identity-normal');
    const producer = newKafka('identity-normal').producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();

    const sends = harness.spansNamed(`send ${topic}`);
    expect(sends).toHaveLength(1);
    const [host, port] = brokers[0]!.split(':');
    expect(sends[0]!.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': topic,
      'messaging.client.id': 'identity-normal',
      'server.address': host,
      'server.port': Number(port),
      'kafka.cluster.id': clusterId,
      'kafka.offset': 0,
    });
  });

  it('leaves no span open', async () => {
    const { started, ended } = harness.spanCounter;
    await sendAndConsume('identity-no-span-open');
    // This test's own spans: a send and a process span for each of the two messages.
    expect(harness.spanCounter.started - started).toBe(4);
    expect(harness.spanCounter.ended - ended).toBe(4);
  });
});
