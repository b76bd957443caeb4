import { KAFKA_4_4_VERSIONS } from './fixtures/broker-versions';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../src/collectors/protocol/cluster-client';
import {
  BrokerErrorResponse,
  BrokerRequestError,
  NoBrokerAvailableError,
  UnsupportedApiError,
} from '../../../../src/collectors/protocol/errors';
import { WireReader } from '../../../../src/collectors/protocol/wire-reader';
import { WireWriter } from '../../../../src/collectors/protocol/wire-writer';
import { waitFor } from '../../../support/wait-for';
import { vector } from './fixtures/java-vectors';
import {
  closedPort,
  metadataAnswer,
  startFakeBroker,
  type FakeBroker,
  type FakeRequest,
} from './support/fake-broker';

const METADATA = 3;
const LIST_OFFSETS = 2;
const FIND_COORDINATOR = 10;
const DESCRIBE_LOG_DIRS = 35;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

type Handler = (request: FakeRequest, broker: FakeBroker) => Buffer | 'silence' | 'close';

/** A fake broker that lists itself as node `nodeId` in Metadata answers. */
async function fakeBroker(
  options: { nodeId?: number; versions?: Record<number, [number, number]>; handle?: Handler } = {},
): Promise<FakeBroker> {
  const nodeId = options.nodeId ?? 1;
  const broker = await startFakeBroker({
    versions: options.versions ?? KAFKA_4_4_VERSIONS,
    handle: (request, self) =>
      options.handle?.(request, self) ??
      (request.apiKey === METADATA
        ? metadataAnswer(request.apiVersion, [{ nodeId, host: self.host, port: self.port }])
        : 'close'),
  });
  cleanup.push(() => broker.close());
  return broker;
}

function client(brokers: string[], requestTimeout = 5_000): ClusterClient {
  const result = new ClusterClient({ brokers, connectionTimeout: 1_000, requestTimeout });
  cleanup.push(() => result.disconnect());
  return result;
}

const address = (broker: FakeBroker) => `${broker.host}:${broker.port}`;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('ClusterClient (against a fake broker)', () => {
  it('validates its seed list without connecting', () => {
    expect(() => new ClusterClient({ brokers: [] })).toThrow(TypeError);
    expect(() => new ClusterClient({ brokers: ['no-port'] })).toThrow(/invalid broker address/);
    expect(new ClusterClient({ brokers: ['127.0.0.1:1'] }).knownBrokers.size).toBe(0);
  });

  it('fails over from an unreachable seed and learns the broker map from Metadata', async () => {
    const broker = await fakeBroker({ nodeId: 7 });
    const kafka = client([`127.0.0.1:${await closedPort()}`, address(broker)]);
    const metadata = await kafka.metadata();
    expect(metadata.clusterId).toBe('fake-cluster');
    expect([...kafka.knownBrokers.values()]).toEqual([
      { nodeId: 7, host: broker.host, port: broker.port },
    ]);
    // The broker that answered is asked first next time: no new connect to the dead seed.
    await kafka.metadata();
    expect(broker.apiRequests().map((r) => [r.apiKey, r.apiVersion])).toEqual([
      [METADATA, 13],
      [METADATA, 13],
    ]);
  });

  it('closes the connection to a seed that Metadata does not list, and asks the listed broker', async () => {
    const listed = await fakeBroker({ nodeId: 1 });
    const seed = await fakeBroker({
      handle: (request) =>
        metadataAnswer(request.apiVersion, [{ nodeId: 1, host: listed.host, port: listed.port }]),
    });
    const kafka = client([address(seed)]);
    await kafka.metadata();
    await waitFor(() => seed.openConnections() === 0, { description: 'seed connection closed' });
    await kafka.metadata();
    expect(seed.apiRequests()).toHaveLength(1);
    expect(listed.apiRequests()).toHaveLength(1);
  });

  it('throws NoBrokerAvailableError quickly when no broker is reachable', async () => {
    const ports = [await closedPort(), await closedPort()];
    const kafka = client(ports.map((port) => `127.0.0.1:${port}`));
    const started = Date.now();
    const error = await rejection(kafka.metadata());
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(NoBrokerAvailableError);
    // Every broker refused alike: that is the reason of the whole request.
    expect(error).toMatchObject({ apiName: 'Metadata', apiKey: 3, reason: 'connection_refused' });
    expect((error as NoBrokerAvailableError).errors.map((e) => [e.broker, e.reason])).toEqual(
      ports.map((port) => [`127.0.0.1:${port}`, 'connection_refused']),
    );
    expect((error as Error).message).toContain(
      `127.0.0.1:${ports[0]} connection_refused: connect ECONNREFUSED`,
    );
  });

  it('times out on a broker that never answers and asks the next one', async () => {
    const silent = await fakeBroker({ handle: () => 'silence' });
    const healthy = await fakeBroker({ nodeId: 2 });
    const kafka = client([address(silent), address(healthy)], 300);
    const metadata = await kafka.metadata();
    expect(metadata.brokers.map((b) => b.nodeId)).toEqual([2]);
    expect(silent.apiRequests()).toHaveLength(1);

    const alone = client([address(silent)], 300);
    const error = await rejection(alone.metadata());
    expect((error as NoBrokerAvailableError).errors[0]).toMatchObject({
      reason: 'timeout',
      broker: address(silent),
    });
  });

  it('sends the highest common version: v12 to a broker that stops at Metadata v12', async () => {
    const broker = await fakeBroker({ versions: { ...KAFKA_4_4_VERSIONS, [METADATA]: [0, 12] } });
    await client([address(broker)]).metadata();
    expect(broker.apiRequests()[0]).toMatchObject({ apiKey: METADATA, apiVersion: 12 });
  });

  it('throws UnsupportedApiError when the broker supports none of our versions', async () => {
    const broker = await fakeBroker({
      versions: { ...KAFKA_4_4_VERSIONS, [DESCRIBE_LOG_DIRS]: [0, 2] },
    });
    const kafka = client([address(broker)]);
    await kafka.metadata();
    const error = await rejection(kafka.describeLogDirs(1));
    expect(error).toBeInstanceOf(UnsupportedApiError);
    expect(error).toMatchObject({
      apiName: 'DescribeLogDirs',
      nodeId: 1,
      broker: address(broker),
      reason: 'unsupported_version',
      implemented: { minVersion: 3, maxVersion: 5 },
      brokerRange: { minVersion: 0, maxVersion: 2 },
    });
    expect(broker.apiRequests().map((r) => r.apiKey)).toEqual([METADATA]);
  });

  it('refuses node ids it has no address for, without sending anything', async () => {
    const broker = await fakeBroker();
    const kafka = client([address(broker)]);
    await kafka.metadata();
    const error = await rejection(kafka.listGroups(42));
    expect(error).toBeInstanceOf(BrokerRequestError);
    expect(error).toMatchObject({ apiName: 'ListGroups', nodeId: 42, reason: 'unknown_broker' });
    expect(broker.apiRequests()).toHaveLength(1);
  });

  it('throws BrokerErrorResponse for a top-level error that leaves nothing usable', async () => {
    const broker = await fakeBroker({
      handle: (request, self) =>
        request.apiKey === DESCRIBE_LOG_DIRS
          ? vector('describe-log-dirs.response.v4.unauthorized')
          : metadataAnswer(request.apiVersion, [{ nodeId: 1, host: self.host, port: self.port }]),
      versions: { ...KAFKA_4_4_VERSIONS, [DESCRIBE_LOG_DIRS]: [1, 4] },
    });
    const kafka = client([address(broker)]);
    await kafka.metadata();
    const error = await rejection(kafka.describeLogDirs(1));
    expect(error).toBeInstanceOf(BrokerErrorResponse);
    expect(error).toMatchObject({
      apiName: 'DescribeLogDirs',
      nodeId: 1,
      errorCode: 31,
      errorName: 'CLUSTER_AUTHORIZATION_FAILED',
    });
  });

  it('reports a malformed answer as a decode error and keeps the connection usable', async () => {
    let answers = 0;
    const broker = await fakeBroker({
      handle: (request, self) =>
        answers++ === 0
          ? Buffer.from([0, 0, 0, 0, 5]) // throttle time, then a broker count with no brokers
          : metadataAnswer(request.apiVersion, [{ nodeId: 1, host: self.host, port: self.port }]),
    });
    const kafka = client([address(broker)]);
    const error = await rejection(kafka.metadata());
    expect(error).toBeInstanceOf(BrokerRequestError);
    expect(error).toMatchObject({ reason: 'decode', broker: address(broker) });
    expect((error as Error).message).toMatch(/Metadata v13 response/);
    await expect(kafka.metadata()).resolves.toMatchObject({ clusterId: 'fake-cluster' });
    expect(broker.requests.filter((r) => r.apiKey === 18)).toHaveLength(1);
  });

  it('reconnects after the broker dropped the connection', async () => {
    let drops = 1;
    const broker = await fakeBroker({
      handle: (request, self) =>
        drops-- > 0
          ? 'close'
          : metadataAnswer(request.apiVersion, [{ nodeId: 1, host: self.host, port: self.port }]),
    });
    const kafka = client([address(broker)]);
    const error = await rejection(kafka.metadata());
    expect((error as NoBrokerAvailableError).errors[0]).toMatchObject({ reason: 'connection' });
    await expect(kafka.metadata()).resolves.toMatchObject({ clusterId: 'fake-cluster' });
    // A new connection asks ApiVersions again (the broker may have been upgraded meanwhile).
    expect(broker.requests.filter((r) => r.apiKey === 18)).toHaveLength(2);
  });

  it('drops a connection after a request timeout and reconnects for the next request', async () => {
    let silent = 1;
    const broker = await fakeBroker({
      handle: (request, self) =>
        silent-- > 0
          ? 'silence'
          : metadataAnswer(request.apiVersion, [{ nodeId: 1, host: self.host, port: self.port }]),
    });
    const kafka = client([address(broker)], 300);
    const error = await rejection(kafka.metadata());
    expect((error as NoBrokerAvailableError).errors[0]).toMatchObject({ reason: 'timeout' });
    await expect(kafka.metadata()).resolves.toMatchObject({ clusterId: 'fake-cluster' });
    expect(broker.requests.filter((r) => r.apiKey === 18)).toHaveLength(2);
  });

  it('splits repeated lookups of a partition into separate ListOffsets requests', async () => {
    const broker = await fakeBroker({
      handle: (request, self) =>
        request.apiKey === LIST_OFFSETS
          ? echoListOffsets(request.body)
          : metadataAnswer(request.apiVersion, [{ nodeId: 1, host: self.host, port: self.port }]),
    });
    const kafka = client([address(broker)]);
    await kafka.metadata();
    const offsets = await kafka.listOffsets(1, [
      {
        topic: 'orders',
        partitions: [
          { partition: 0, timestamp: -2 },
          { partition: 0, timestamp: -1 },
          { partition: 1, timestamp: -1 },
        ],
      },
    ]);
    const sent = broker.apiRequests().filter((r) => r.apiKey === LIST_OFFSETS);
    expect(sent.map((r) => [r.apiVersion, readListOffsetsRequest(r.body)])).toEqual([
      [
        9,
        [
          ['orders', 0, -2],
          ['orders', 1, -1],
        ],
      ],
      [9, [['orders', 0, -1]]],
    ]);
    expect(offsets.map((o) => [o.partition, o.requestedTimestamp, o.offset])).toEqual([
      [0, -2, 1000],
      [1, -1, 1001],
      [0, -1, 1000],
    ]);
  });

  it('skips requests that would ask for nothing', async () => {
    const broker = await fakeBroker();
    const kafka = client([address(broker)]);
    await kafka.metadata();
    expect(await kafka.findCoordinators([])).toEqual(new Map());
    expect(await kafka.describeGroups(1, [])).toEqual([]);
    expect(await kafka.offsetFetch(1, [])).toEqual([]);
    expect(await kafka.describeTopicConfigs([], null)).toEqual(new Map());
    expect(await kafka.listOffsets(1, [])).toEqual([]);
    expect(broker.apiRequests()).toHaveLength(1);
  });

  it('learns coordinators that Metadata did not list', async () => {
    const broker = await fakeBroker({
      handle: (request, self) =>
        request.apiKey === FIND_COORDINATOR
          ? vector('find-coordinator.response.v6')
          : metadataAnswer(request.apiVersion, [{ nodeId: 9, host: self.host, port: self.port }]),
    });
    const kafka = client([address(broker)]);
    await kafka.metadata();
    const coordinators = await kafka.findCoordinators(['billing', 'audit', 'billing']);
    expect([...coordinators.keys()]).toEqual(['billing', 'audit']);
    expect(coordinators.get('audit')).toMatchObject({ nodeId: -1, errorCode: 15 });
    expect(kafka.knownBrokers.get(1)).toEqual({ nodeId: 1, host: '127.0.0.1', port: 59092 });
    const [request] = broker.apiRequests().filter((r) => r.apiKey === FIND_COORDINATOR);
    expect(request?.apiVersion).toBe(6);
  });
});

/** [topic, partition, timestamp] of each lookup in a ListOffsets v7+ request body. */
function readListOffsetsRequest(body: Buffer): [string, number, number][] {
  const reader = new WireReader(body, 'ListOffsets request');
  reader.int32();
  reader.int8();
  const lookups: [string, number, number][] = [];
  for (let t = reader.compactArrayCount(); t > 0; t--) {
    const topic = reader.compactString();
    for (let p = reader.compactArrayCount(); p > 0; p--) {
      const partition = reader.int32();
      reader.int32();
      lookups.push([topic, partition, reader.int64()]);
      reader.skipTaggedFields();
    }
    reader.skipTaggedFields();
  }
  return lookups;
}

/** Answers each lookup with offset 1000 + partition. */
function echoListOffsets(body: Buffer): Buffer {
  const lookups = readListOffsetsRequest(body);
  const writer = new WireWriter().int32(0).compactArrayLength(1).compactString('orders');
  writer.compactArrayLength(lookups.length);
  for (const [, partition] of lookups) {
    writer
      .int32(partition)
      .int16(0)
      .int64(-1)
      .int64(1000 + partition)
      .int32(0);
    writer.emptyTaggedFields();
  }
  return writer.emptyTaggedFields().emptyTaggedFields().toBuffer();
}
