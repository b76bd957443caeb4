/**
 * The fault-injecting socket factory the scrape-error tests rely on, on the real broker: a
 * `reset` must fail only the request it was injected for, not the other requests waiting on
 * the same connection (a real reset would fail them too, and a test counting one scrape error
 * per fault would then count two). The collector's client sends DescribeLogDirs and
 * DescribeQuorum over its one connection to the suite's single node at the same moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../src/collectors/protocol/cluster-client';
import { DESCRIBE_QUORUM_API } from '../../../src/collectors/protocol/describe-quorum';
import { FaultInjectingSockets } from '../../support/fault-injecting-sockets';
import { injectedBrokers } from '../../support/kafka-client';

const faults = new FaultInjectingSockets();
const client = new ClusterClient({
  brokers: injectedBrokers(),
  clientId: 'fault-injecting-sockets',
  socketFactory: faults.socketFactory,
});
let node: number;
/** `host:port` of the node, as Metadata names it. */
let address: string;

beforeAll(async () => {
  const { brokers } = await client.metadata();
  // One combined broker and controller: every request goes over the one connection to it.
  expect(brokers).toHaveLength(1);
  const { nodeId, host, port } = brokers[0]!;
  node = nodeId;
  address = `${host}:${port}`;
});
afterAll(async () => {
  await client.disconnect();
});

describe('FaultInjectingSockets', () => {
  it('resets the connection under the faulted request only once the others have their answers', async () => {
    faults.inject(DESCRIBE_QUORUM_API.key, { kind: 'reset' });
    const ROUNDS = 3;
    for (let round = 0; round < ROUNDS; round++) {
      const [dirs, quorum] = await Promise.allSettled([
        client.describeLogDirs(node),
        client.describeQuorum(),
      ]);
      // The launcher gives the node one log directory.
      expect(dirs).toMatchObject({ status: 'fulfilled', value: [{ errorCode: 0 }] });
      expect(quorum).toMatchObject({
        status: 'rejected',
        reason: {
          reason: 'connection',
          message:
            'DescribeQuorum failed (connection): no broker answered ' +
            `(1 tried: ${address} connection: read ECONNRESET)`,
        },
      });
    }
    expect(faults.hits(DESCRIBE_QUORUM_API.key)).toHaveLength(ROUNDS);
    faults.clear();
    // The client reconnects: the fault gone, the request answers.
    expect((await client.describeQuorum()).leaderId).toBe(node);
  });
});
