/**
 * An answer that leaves one partition, topic or group unknown (an error code for that element,
 * or the element missing) is one counted error of its phase, named so an operator can look it
 * up, and what it left unknown stays absent: the phases' answers to hand-made broker answers.
 * On a real broker, through answers rewritten at the socket: scrape-error-phases.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterMetadata } from '../../../src/collectors/phases/metadata-phase';
import { groupsPhase } from '../../../src/collectors/phases/groups-phase';
import { offsetsPhase } from '../../../src/collectors/phases/offsets-phase';
import { partitionKey } from '../../../src/collectors/phases/phase-outcome';
import type { SnapshotClient } from '../../../src/collectors/phases/snapshot-client';
import { topicConfigsPhase } from '../../../src/collectors/phases/topic-configs-phase';
import type { PartitionOffset } from '../../../src/collectors/protocol';

const NOT_LEADER_OR_FOLLOWER = 6;
const OFFSET_NOT_AVAILABLE = 78;
const EARLIEST = -2;
const LATEST = -1;

/** A cluster of one broker and the topics named, `partitions` each, all led by node 1. */
function metadataOf(topics: string[], partitions = 1): ClusterMetadata {
  return {
    controllerId: 1,
    brokers: [{ nodeId: 1, host: 'localhost', port: 9092 }],
    topics: topics.map((name) => ({
      name,
      topicId: undefined,
      errorCode: 0,
      isInternal: false,
      partitions: Array.from({ length: partitions }, (_, partition) => ({
        partition,
        errorCode: 0,
        leader: 1,
        leaderEpoch: 0,
        replicas: [1],
        isr: [1],
        offlineReplicas: [],
      })),
    })),
  };
}

/** A client that answers only the requests a test gives it; any other request is a bug. */
function clientOf(answers: Partial<SnapshotClient>): SnapshotClient {
  return new Proxy(answers as SnapshotClient, {
    get: (target, name: keyof SnapshotClient) =>
      target[name] ?? (() => Promise.reject(new Error(`unexpected request ${String(name)}`))),
  });
}

const signal = new AbortController().signal;

describe('offsets phase', () => {
  it('counts each partition the leader answered with an error code once, its offsets unknown', async () => {
    const answer = (
      partition: number,
      requestedTimestamp: number,
      errorCode: number,
      offset = -1,
    ): PartitionOffset => ({
      topic: 'orders',
      partition,
      requestedTimestamp,
      errorCode,
      offset,
      timestamp: -1,
      leaderEpoch: 0,
    });
    const client = clientOf({
      listOffsets: () =>
        Promise.resolve([
          // 0: whole. 1: the latest offset only is not available. 2: both sides failed alike.
          // 3: each side failed its own way.
          answer(0, EARLIEST, 0, 3),
          answer(0, LATEST, 0, 9),
          answer(1, EARLIEST, 0, 0),
          answer(1, LATEST, OFFSET_NOT_AVAILABLE),
          answer(2, EARLIEST, NOT_LEADER_OR_FOLLOWER),
          answer(2, LATEST, NOT_LEADER_OR_FOLLOWER),
          answer(3, EARLIEST, NOT_LEADER_OR_FOLLOWER),
          answer(3, LATEST, OFFSET_NOT_AVAILABLE),
        ]),
    });
    const outcome = await offsetsPhase(client, metadataOf(['orders'], 4), signal);
    expect(outcome.errors).toEqual(
      [
        'orders partition 1: OFFSET_NOT_AVAILABLE (78)',
        'orders partition 2: NOT_LEADER_OR_FOLLOWER (6)',
        'orders partition 3: NOT_LEADER_OR_FOLLOWER (6), OFFSET_NOT_AVAILABLE (78)',
      ].map((what) => ({
        phase: 'offsets',
        broker: 1,
        errorType: 'error_response',
        message: `ListOffsets to node 1: ${what}`,
      })),
    );
    expect(Object.fromEntries(outcome.value)).toEqual({
      [partitionKey('orders', 0)]: { oldest: 3, current: 9 },
      [partitionKey('orders', 1)]: { oldest: 0 },
    });
  });
});

describe('configs phase', () => {
  it('counts each topic the answer gives no min.insync.replicas for', async () => {
    const topics = ['ok', 'refused', 'left-out', 'sensitive', 'without'];
    const client = clientOf({
      describeTopicConfigs: () =>
        Promise.resolve(
          new Map([
            [
              'ok',
              { errorCode: 0, errorMessage: null, values: new Map([['min.insync.replicas', '2']]) },
            ],
            [
              'refused',
              { errorCode: 29, errorMessage: 'Authorization failed.', values: new Map() },
            ],
            [
              'sensitive',
              {
                errorCode: 0,
                errorMessage: null,
                values: new Map([['min.insync.replicas', null]]),
              },
            ],
            ['without', { errorCode: 0, errorMessage: '', values: new Map() }],
          ]),
        ),
    });
    const outcome = await topicConfigsPhase(client, metadataOf(topics), signal);
    expect(outcome.errors).toEqual(
      [
        'refused: TOPIC_AUTHORIZATION_FAILED (29): Authorization failed.',
        'left-out: the answer does not list the topic',
        'sensitive: min.insync.replicas is null',
        'without: min.insync.replicas is missing',
      ].map((what) => ({
        phase: 'configs',
        errorType: 'error_response',
        message: `DescribeConfigs for topic ${what}`,
      })),
    );
    expect(Object.fromEntries(outcome.value)).toEqual({ ok: 2 });
  });
});

/** FindCoordinator's answer when node 1 coordinates every group asked about. */
const coordinatedByNode1: SnapshotClient['findCoordinators'] = (ids) =>
  Promise.resolve(
    new Map(
      ids.map((key) => [
        key,
        { key, nodeId: 1, host: 'localhost', port: 9092, errorCode: 0, errorMessage: null },
      ]),
    ),
  );

describe('groups phase', () => {
  const listed = [
    { groupId: 'classic', protocolType: 'consumer', state: 'Stable', type: 'classic' },
    { groupId: 'loading', protocolType: 'consumer', state: 'Stable', type: 'classic' },
    { groupId: 'kip-848', protocolType: 'consumer', state: 'Reconciling', type: 'consumer' },
  ];
  const scope = { includeGroup: () => true, groupConcurrency: 2 };

  it('describes classic groups only, and counts a group DescribeGroups answered with an error', async () => {
    const described: string[][] = [];
    const client = clientOf({
      listGroups: () => Promise.resolve({ errorCode: 0, groups: listed }),
      findCoordinators: coordinatedByNode1,
      describeGroups: (_node, ids) => {
        described.push([...ids]);
        return Promise.resolve([
          {
            groupId: 'classic',
            errorCode: 0,
            errorMessage: null,
            state: 'Stable',
            protocolType: 'consumer',
            protocol: 'range',
            members: [],
          },
          {
            groupId: 'loading',
            errorCode: 14,
            errorMessage: 'The coordinator is loading.',
            state: '',
            protocolType: '',
            protocol: '',
            members: [],
          },
        ]);
      },
      offsetFetch: (_node, ids) =>
        Promise.resolve(ids.map((groupId) => ({ groupId, errorCode: 0, partitions: [] }))),
    });
    const outcome = await groupsPhase(client, metadataOf([]), scope, signal);
    // ConsumerGroupDescribe describes KIP-848 groups; DescribeGroups would answer
    // GROUP_ID_NOT_FOUND: it is not asked.
    expect(described).toEqual([['classic', 'loading']]);
    expect(outcome.errors).toEqual([
      {
        phase: 'groups',
        broker: 1,
        errorType: 'error_response',
        message:
          'DescribeGroups to node 1: group loading: COORDINATOR_LOAD_IN_PROGRESS (14): ' +
          'The coordinator is loading.',
      },
    ]);
    const byId = new Map(outcome.value.map((facts) => [facts.groupId, facts]));
    expect(byId.get('classic')?.described?.state).toBe('Stable');
    // Unknown members, and no error for the KIP-848 group: its state is ListGroups'.
    expect(byId.get('loading')?.described).toBeUndefined();
    expect(byId.get('kip-848')).toMatchObject({ listedState: 'Reconciling' });
    expect(byId.get('kip-848')?.described).toBeUndefined();
  });

  it('counts each partition OffsetFetch answered with an error code once, its commit unknown', async () => {
    const client = clientOf({
      listGroups: () => Promise.resolve({ errorCode: 0, groups: [listed[0]!] }),
      findCoordinators: coordinatedByNode1,
      describeGroups: () =>
        Promise.resolve([
          {
            groupId: 'classic',
            errorCode: 0,
            errorMessage: null,
            state: 'Stable',
            protocolType: 'consumer',
            protocol: 'range',
            members: [],
          },
        ]),
      offsetFetch: () =>
        Promise.resolve([
          {
            groupId: 'classic',
            errorCode: 0,
            partitions: [
              {
                topic: 'orders',
                partition: 0,
                committedOffset: 7,
                committedLeaderEpoch: 0,
                errorCode: 0,
              },
              {
                topic: 'orders',
                partition: 1,
                committedOffset: -1,
                committedLeaderEpoch: -1,
                errorCode: 88,
              },
            ],
          },
        ]),
    });
    const outcome = await groupsPhase(client, metadataOf(['orders'], 2), scope, signal);
    expect(outcome.errors).toEqual([
      {
        phase: 'group_offsets',
        broker: 1,
        errorType: 'error_response',
        message: 'group classic: orders partition 1: UNSTABLE_OFFSET_COMMIT (88)',
      },
    ]);
  });
});
