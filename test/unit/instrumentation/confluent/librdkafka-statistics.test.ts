import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseLibrdkafkaStatistics,
  type BrokerReadings,
  type LibrdkafkaStatistics,
  type PartitionReadings,
} from '../../../../src/instrumentation/confluent/librdkafka-statistics';

// Real documents from @confluentinc/kafka-javascript 1.10.1 / librdkafka 2.15.1 (see the README
// beside them). Every expected value below is read from these files.
const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'librdkafka');
const consumerJson = readFileSync(join(FIXTURES, 'consumer-statistics.json'), 'utf8');
const producerJson = readFileSync(join(FIXTURES, 'producer-statistics.json'), 'utf8');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh, mutable copy of the real consumer document, for one hostile edit. */
function consumerDocument(): Json {
  return JSON.parse(consumerJson) as Json;
}

/** The readings of a document that must be accepted. */
function readingsOf(document: string | Json): LibrdkafkaStatistics {
  const result = parseLibrdkafkaStatistics(
    typeof document === 'string' ? document : JSON.stringify(document),
  );
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.statistics;
}

function onlyBroker(document: Json): BrokerReadings {
  const { brokers } = readingsOf(document);
  expect(brokers).toHaveLength(1);
  return brokers[0]!;
}

/** The real consumer's partition 0 of its topic, after one edit of its entry. */
function partitionZeroAfter(edit: (entry: Json) => void): PartitionReadings | undefined {
  const document = consumerDocument();
  edit(document.topics['ckjs-a-mx2yiald'].partitions['0'] as Json);
  return readingsOf(document).partitions.find((p) => p.partition === 0);
}

/** A minimal accepted document around the given sections. */
function minimalDocument(sections: Json): string {
  return JSON.stringify({ name: 'rdkafka#consumer-1', type: 'consumer', ...sections });
}

describe('parseLibrdkafkaStatistics on a real consumer document', () => {
  const statistics = readingsOf(consumerJson);

  it('reads the client totals, with its age in seconds', () => {
    expect(statistics.client).toEqual({
      type: 'consumer',
      name: 'probe#consumer-3',
      clientId: 'probe',
      unixTimeSeconds: 1796024326,
      ageSeconds: 6.512672,
      producerQueueMessages: 0,
      producerQueueBytes: 0,
      producerQueueMaxMessages: 0,
      producerQueueMaxBytes: 0,
      requestsSent: 33,
      requestBytesSent: 3287,
      responsesReceived: 32,
      responseBytesReceived: 6072,
      messagesSent: 0,
      messageBytesSent: 0,
      messagesReceived: 4,
      messageBytesReceived: 14,
    });
  });

  it('reads broker 1 with rtt in seconds and skips the GroupCoordinator entry', () => {
    expect(statistics.brokers).toEqual([
      {
        nodeId: 1,
        host: '127.0.0.1',
        port: 47092,
        source: 'learned',
        state: 'UP',
        stateAgeSeconds: 6.454155,
        requestsAwaitingSend: 0,
        messagesAwaitingSend: 0,
        requestsAwaitingResponse: 1,
        messagesAwaitingResponse: 0,
        requestsSent: 22,
        bytesSent: 2222,
        sendErrors: 0,
        requestRetries: 0,
        requestTimeouts: 0,
        responsesReceived: 21,
        bytesReceived: 4594,
        receiveErrors: 0,
        connectionAttempts: 1,
        disconnects: 0,
        // rtt 506136 µs; the percentiles are HDR-histogram buckets (507903 µs), as librdkafka gives them.
        roundTripTime: {
          sampleCount: 1,
          minSeconds: 0.506136,
          maxSeconds: 0.506136,
          avgSeconds: 0.506136,
          p50Seconds: 0.507903,
          p95Seconds: 0.507903,
          p99Seconds: 0.507903,
        },
        // int_latency and throttle sampled nothing in that interval (cnt 0): absent, not 0.
        producerQueueLatency: undefined,
        requestQueueLatency: {
          sampleCount: 1,
          minSeconds: 0.000043,
          maxSeconds: 0.000043,
          avgSeconds: 0.000043,
          p50Seconds: 0.000043,
          p95Seconds: 0.000043,
          p99Seconds: 0.000043,
        },
        throttleTime: undefined,
      },
    ]);
  });

  it('reads both partitions with lag 0 and skips partition -1', () => {
    const partition = (id: number, messagesReceived: number) => ({
      topic: 'ckjs-a-mx2yiald',
      partition: id,
      leaderNodeId: 1,
      fetchState: 'active',
      consumerLag: 0,
      consumerLagStored: 0,
      committedOffset: 2,
      storedOffset: 2,
      applicationOffset: 2,
      nextFetchOffset: 2,
      highWatermarkOffset: 2,
      lowWatermarkOffset: 0,
      lastStableOffset: 2,
      producerQueueMessages: 0,
      producerQueueBytes: 0,
      transmitQueueMessages: 0,
      fetchQueueMessages: 0,
      fetchQueueBytes: 0,
      messagesSent: 0,
      messagesReceived,
      messagesInFlight: 0,
    });
    expect(statistics.partitions).toEqual([partition(0, 2), partition(1, 2)]);
  });

  it('reads the consumer group with its ages in seconds', () => {
    expect(statistics.consumerGroup).toEqual({
      state: 'up',
      stateAgeSeconds: 6.441,
      joinState: 'steady',
      rebalanceCount: 1,
      secondsSinceRebalance: 6.411,
      assignedPartitions: 2,
    });
  });
});

describe('parseLibrdkafkaStatistics on a real producer document', () => {
  const statistics = readingsOf(producerJson);

  it('reads the producer queue limits and message totals', () => {
    expect(statistics.client).toEqual({
      type: 'producer',
      name: 'probe#producer-2',
      clientId: 'probe',
      unixTimeSeconds: 1796024326,
      ageSeconds: 6.509568,
      producerQueueMessages: 0,
      producerQueueBytes: 0,
      producerQueueMaxMessages: 100000,
      producerQueueMaxBytes: 1073741824,
      requestsSent: 7,
      requestBytesSent: 733,
      responsesReceived: 7,
      responseBytesReceived: 2796,
      messagesSent: 6,
      messageBytesSent: 18,
      messagesReceived: 0,
      messageBytesReceived: 0,
    });
    expect(statistics.consumerGroup).toBeUndefined();
  });

  it('leaves every window absent when the interval sampled nothing', () => {
    expect(statistics.brokers).toEqual([
      expect.objectContaining({
        nodeId: 1,
        host: '127.0.0.1',
        port: 47092,
        state: 'UP',
        stateAgeSeconds: 6.450919,
        requestsSent: 7,
        bytesSent: 733,
        responsesReceived: 7,
        bytesReceived: 2796,
        roundTripTime: undefined,
        producerQueueLatency: undefined,
        requestQueueLatency: undefined,
        throttleTime: undefined,
      }),
    ]);
  });

  it('leaves unknown offsets and lags absent (librdkafka -1001 and -1)', () => {
    const partition = (topic: string, id: number) => ({
      topic,
      partition: id,
      leaderNodeId: 1,
      fetchState: 'none',
      consumerLag: undefined,
      consumerLagStored: undefined,
      committedOffset: undefined,
      storedOffset: undefined,
      applicationOffset: undefined,
      nextFetchOffset: 0,
      highWatermarkOffset: undefined,
      lowWatermarkOffset: undefined,
      lastStableOffset: undefined,
      producerQueueMessages: 0,
      producerQueueBytes: 0,
      transmitQueueMessages: 0,
      fetchQueueMessages: 0,
      fetchQueueBytes: 0,
      messagesSent: 2,
      messagesReceived: 0,
      messagesInFlight: 0,
    });
    expect(statistics.partitions).toEqual([
      partition('ckjs-a-mx2yiald', 0),
      partition('ckjs-a-mx2yiald', 1),
      partition('ckjs-b-mx2yiald', 0),
    ]);
  });
});

describe('parseLibrdkafkaStatistics units and unknowns', () => {
  it('converts throttle from milliseconds and rtt from microseconds', () => {
    const window = { cnt: 2, min: 100, max: 300, avg: 200, p50: 200, p95: 300, p99: 300 };
    const document = consumerDocument();
    document.brokers = {
      'b:9092/7': {
        nodeid: 7,
        nodename: 'b:9092',
        source: 'learned',
        rtt: window,
        throttle: window,
      },
    };
    const broker = onlyBroker(document);
    expect(broker.roundTripTime).toEqual({
      sampleCount: 2,
      minSeconds: 0.0001,
      maxSeconds: 0.0003,
      avgSeconds: 0.0002,
      p50Seconds: 0.0002,
      p95Seconds: 0.0003,
      p99Seconds: 0.0003,
    });
    expect(broker.throttleTime).toEqual({
      sampleCount: 2,
      minSeconds: 0.1,
      maxSeconds: 0.3,
      avgSeconds: 0.2,
      p50Seconds: 0.2,
      p95Seconds: 0.3,
      p99Seconds: 0.3,
    });
  });

  it('reads a known lag and leaves -1 and -1001 absent', () => {
    const lagging = partitionZeroAfter((entry) => {
      entry.consumer_lag = 7;
      entry.consumer_lag_stored = 5;
    });
    expect(lagging).toMatchObject({ consumerLag: 7, consumerLagStored: 5 });
    const unknown = partitionZeroAfter((entry) => {
      entry.consumer_lag = -1;
      entry.consumer_lag_stored = -1001;
      entry.committed_offset = -1001;
      entry.stored_offset = -1000;
      entry.app_offset = -1;
      entry.next_offset = -2;
      entry.hi_offset = -1001;
      entry.lo_offset = -1001;
      entry.ls_offset = -2003;
      entry.leader = -1;
    });
    expect(unknown).toMatchObject({
      consumerLag: undefined,
      consumerLagStored: undefined,
      committedOffset: undefined,
      storedOffset: undefined,
      applicationOffset: undefined,
      nextFetchOffset: undefined,
      highWatermarkOffset: undefined,
      lowWatermarkOffset: undefined,
      lastStableOffset: undefined,
      leaderNodeId: undefined,
    });
  });

  it('leaves negative counts absent and drops a window with a negative value', () => {
    const document = consumerDocument();
    const broker = document.brokers['127.0.0.1:47092/1'];
    broker.tx = -5;
    broker.outbuf_cnt = -1;
    broker.rtt.avg = -1;
    document.msg_cnt = -3;
    const statistics = readingsOf(document);
    expect(statistics.client.producerQueueMessages).toBeUndefined();
    expect(statistics.brokers[0]).toMatchObject({
      requestsSent: undefined,
      requestsAwaitingSend: undefined,
      roundTripTime: undefined,
      bytesSent: 2222,
    });
  });

  it('refuses numbers written as strings, field by field', () => {
    const document = consumerDocument();
    const broker = document.brokers['127.0.0.1:47092/1'];
    broker.tx = '22';
    broker.rtt.avg = '506136';
    document.topics['ckjs-a-mx2yiald'].partitions['0'].consumer_lag = '0';
    document.rx = '32';
    const statistics = readingsOf(document);
    expect(statistics.client.responsesReceived).toBeUndefined();
    expect(statistics.brokers[0]).toMatchObject({
      requestsSent: undefined,
      roundTripTime: undefined,
      responsesReceived: 21,
    });
    expect(statistics.partitions[0]).toMatchObject({
      consumerLag: undefined,
      consumerLagStored: 0,
    });
  });

  it('leaves an out-of-range number (1e400 parses to Infinity) and a fractional count absent', () => {
    const outOfRange = '{"type":"consumer","name":"n","time":1e400,"tx":12}';
    expect(readingsOf(outOfRange).client).toMatchObject({
      unixTimeSeconds: undefined,
      requestsSent: 12,
    });
    const document = consumerDocument();
    document.brokers['127.0.0.1:47092/1'].rtt.cnt = 1.5;
    expect(onlyBroker(document).roundTripTime).toBeUndefined();
  });

  it('reads secondsSinceRebalance only once a rebalance happened', () => {
    const document = consumerDocument();
    document.cgrp.rebalance_cnt = 0;
    document.cgrp.rebalance_age = 0;
    expect(readingsOf(document).consumerGroup).toMatchObject({
      rebalanceCount: 0,
      secondsSinceRebalance: undefined,
    });
  });

  it('reads no consumer group for a producer even when a cgrp section is present', () => {
    const document = JSON.parse(producerJson) as Json;
    document.cgrp = consumerDocument().cgrp;
    expect(readingsOf(document).consumerGroup).toBeUndefined();
  });
});

describe('parseLibrdkafkaStatistics broker entries', () => {
  it.each([
    ['127.0.0.1:47092', '127.0.0.1', 47092],
    ['[::1]:9092', '::1', 9092],
    ['::1:9092', '::1', 9092],
    ['[2001:db8::5]:19093', '2001:db8::5', 19093],
    ['kafka-0.kafka.svc.cluster.local:9093', 'kafka-0.kafka.svc.cluster.local', 9093],
  ])('splits nodename %s into host and port', (nodename, host, port) => {
    const document = consumerDocument();
    document.brokers = { x: { nodeid: 3, nodename, source: 'learned', state: 'UP' } };
    expect(onlyBroker(document)).toMatchObject({ nodeId: 3, host, port, state: 'UP' });
  });

  it.each(['', 'no-port', 'host:', ':9092', 'host:0', 'host:65536', 'host:9o92', '[::1]9092', 42])(
    'keeps broker 3 without an address when nodename is %j',
    (nodename) => {
      const document = consumerDocument();
      document.brokers = { x: { nodeid: 3, nodename, state: 'DOWN' } };
      expect(onlyBroker(document)).toMatchObject({
        nodeId: 3,
        host: undefined,
        port: undefined,
        state: 'DOWN',
      });
    },
  );

  it('skips logical, bootstrap (-1), id-less and non-object entries, keeping the real broker', () => {
    const document = consumerDocument();
    Object.assign(document.brokers, {
      'bootstrap:9092/bootstrap': { nodeid: -1, nodename: 'bootstrap:9092', source: 'configured' },
      TxnCoordinator: { nodeid: 4, nodename: 'b:9092', source: 'logical' },
      'no-id': { nodename: 'c:9092', source: 'learned' },
      'string-entry': 'UP',
      'null-entry': null,
      'array-entry': [{ nodeid: 9 }],
    });
    expect(readingsOf(document).brokers.map((b) => b.nodeId)).toEqual([1]);
  });

  it('reads no brokers when the section is missing or not an object', () => {
    const document = consumerDocument();
    delete document.brokers;
    const statistics = readingsOf(document);
    expect(statistics.brokers).toEqual([]);
    expect(statistics.partitions).toHaveLength(2);
    expect(statistics.client.requestsSent).toBe(33);
    expect(readingsOf(minimalDocument({ brokers: [{ nodeid: 1 }] })).brokers).toEqual([]);
    expect(readingsOf(minimalDocument({ brokers: 'UP' })).brokers).toEqual([]);
  });
});

describe('parseLibrdkafkaStatistics refusals and hostile input', () => {
  it.each([
    ['not JSON', '{"type":', 'not JSON'],
    ['empty', '', 'not JSON'],
    ['NaN (not JSON)', '{"type":"consumer","name":"n","msg_cnt":NaN}', 'not JSON'],
    ['an array', '[{"type":"consumer","name":"n"}]', 'not a JSON object'],
    ['null', 'null', 'not a JSON object'],
    ['a number', '42', 'not a JSON object'],
    ['a string', '"consumer"', 'not a JSON object'],
    ['an unknown type', '{"type":"admin","name":"n"}', 'type is neither producer nor consumer'],
    ['no type', '{"name":"n"}', 'type is neither producer nor consumer'],
    ['a name that is not a string', '{"type":"producer","name":7}', 'name is not a string'],
  ])('refuses %s', (_label, input, reason) => {
    expect(parseLibrdkafkaStatistics(input)).toEqual({ ok: false, reason });
  });

  it('reads a topic named __proto__ as a topic and pollutes nothing', () => {
    const input =
      '{"type":"consumer","name":"n","topics":{"__proto__":{"partitions":{"0":' +
      '{"partition":0,"consumer_lag":3,"polluted":true}}},' +
      '"constructor":{"partitions":{"__proto__":{"partition":1,"consumer_lag":4}}}},' +
      '"brokers":{"__proto__":{"nodeid":2,"nodename":"p:9092","polluted":true}}}';
    const statistics = readingsOf(input);
    expect(statistics.partitions.map((p) => [p.topic, p.partition, p.consumerLag])).toEqual([
      ['__proto__', 0, 3],
      ['constructor', 1, 4],
    ]);
    expect(statistics.brokers.map((b) => b.nodeId)).toEqual([2]);
    const fresh: Record<string, unknown> = {};
    expect(fresh.polluted).toBeUndefined();
    expect(fresh.partitions).toBeUndefined();
    expect(Object.getPrototypeOf(statistics.partitions[0])).toBe(Object.prototype);
  });

  it('does not take type or name from a __proto__ key', () => {
    expect(parseLibrdkafkaStatistics('{"__proto__":{"type":"consumer","name":"n"}}')).toEqual({
      ok: false,
      reason: 'type is neither producer nor consumer',
    });
  });

  it('reads a 5 MB document whole', () => {
    const document = consumerDocument();
    const partitionEntry = document.topics['ckjs-a-mx2yiald'].partitions['0'];
    const topics: Json = {};
    const topicCount = 250;
    const partitionsPerTopic = 40;
    for (let t = 0; t < topicCount; t++) {
      const partitions: Json = {};
      for (let p = 0; p < partitionsPerTopic; p++) {
        partitions[String(p)] = { ...partitionEntry, partition: p, consumer_lag: t + p };
      }
      topics[`topic-${t}`] = { topic: `topic-${t}`, partitions };
    }
    document.topics = topics;
    const json = JSON.stringify(document);
    expect(json.length).toBeGreaterThan(5_000_000);
    const statistics = readingsOf(json);
    expect(statistics.partitions).toHaveLength(topicCount * partitionsPerTopic);
    expect(statistics.partitions.at(-1)).toMatchObject({
      topic: 'topic-249',
      partition: 39,
      consumerLag: 288,
    });
  });

  const deeplyNested = '{"type":"consumer","name":"n","topics":' + '['.repeat(100_000);
  const neverThrows: [string, unknown, boolean][] = [
    ['undefined', undefined, false],
    ['null', null, false],
    ['a number', 42, false],
    ['an object instead of a string', { type: 'consumer', name: 'n' }, false],
    ['a Buffer', Buffer.from('{"type":"consumer","name":"n"}'), false],
    ['whitespace', '  \n ', false],
    ['unbalanced nesting 100k deep', deeplyNested, false],
    [
      'balanced nesting 10k deep',
      `{"type":"consumer","name":"n","topics":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      true,
    ],
    ['topics as an array', minimalDocument({ topics: [{ partitions: {} }] }), true],
    ['partitions as a string', minimalDocument({ topics: { t: { partitions: 'x' } } }), true],
    [
      'a partition entry that is null',
      minimalDocument({ topics: { t: { partitions: { 0: null } } } }),
      true,
    ],
    ['a topic entry that is a number', minimalDocument({ topics: { t: 5 } }), true],
    ['cgrp as a number', minimalDocument({ cgrp: 5 }), true],
    [
      'windows as arrays and strings',
      minimalDocument({ brokers: { b: { nodeid: 1, rtt: [1], throttle: 'x' } } }),
      true,
    ],
    ['every section null', minimalDocument({ brokers: null, topics: null, cgrp: null }), true],
    [
      'a 1 MB topic name',
      minimalDocument({ topics: { ['t'.repeat(1_000_000)]: { partitions: {} } } }),
      true,
    ],
  ];
  it.each(neverThrows)('never throws on %s', (_label, input, ok) => {
    let result: ReturnType<typeof parseLibrdkafkaStatistics> | undefined;
    expect(() => {
      result = parseLibrdkafkaStatistics(input as string);
    }).not.toThrow();
    expect(result?.ok).toBe(ok);
  });
});
