import { ATTR_BROKER, ATTR_STATE } from '../collector-attributes';
import { metricFamily } from '../export/metric-family';
import type { BrokerJmxSnapshot, RaftReading } from './broker-jmx-snapshot';

/**
 * Every KRaft state Kafka's `current-state` reports (3.x and 4.x), so each node exports one
 * series per state (1 for its own, 0 for the others) and a state change never leaves a stale 1.
 */
export const RAFT_STATES = [
  'leader',
  'candidate',
  'prospective',
  'voted',
  'follower',
  'observer',
  'unattached',
  'resigned',
] as const;

/** Raft numbers exported as they are, by the reading field they come from. */
const PLAIN = {
  leader: 'leader',
  epoch: 'epoch',
  highWatermark: 'highWatermark',
  logEndOffset: 'logEndOffset',
  appendRecordsRate: 'appendRecordsRate',
  fetchRecordsRate: 'fetchRecordsRate',
  unknownVoterConnections: 'unknownVoterConnections',
} as const satisfies Record<string, keyof RaftReading>;

/** Latencies Kafka reports in ms, exported in seconds. */
const LATENCIES = {
  electionLatencyAvg: 'electionLatencyAvgMs',
  electionLatencyMax: 'electionLatencyMaxMs',
  commitLatencyAvg: 'commitLatencyAvgMs',
  commitLatencyMax: 'commitLatencyMaxMs',
} as const satisfies Record<string, keyof RaftReading>;

const BROKER = [ATTR_BROKER] as const;

/**
 * Each node's own view of the KRaft metadata quorum (`kafka.server:type=raft-metrics`, the
 * controller's election count, the metadata snapshot emitter). Where the cluster collector's
 * kafka.quorum.* is the leader's answer to DescribeQuorum, these are per node: a node that
 * disagrees on the leader or the epoch shows it.
 */
export const raftMetrics = metricFamily(
  {
    leader: {
      name: 'kafka.raft.leader',
      unit: '{broker}',
      description:
        'Node id of the quorum leader as this node knows it (current-leader); absent while it knows none (during an election).',
      attributes: BROKER,
    },
    epoch: {
      name: 'kafka.raft.epoch',
      unit: '{epoch}',
      description:
        'Quorum epoch as this node knows it (current-epoch); every election increases it, so its increase over time counts elections.',
      attributes: BROKER,
    },
    state: {
      name: 'kafka.raft.state',
      unit: '1',
      description:
        "1 for this node's KRaft state (current-state: leader, candidate, prospective, voted, follower, observer, unattached, resigned), 0 for the others.",
      attributes: [ATTR_BROKER, ATTR_STATE],
    },
    elections: {
      name: 'kafka.raft.elections',
      kind: 'counter',
      unit: '{election}',
      description:
        'New active controllers this controller node has seen since it started (NewActiveControllersCount): each is a won election.',
      attributes: BROKER,
    },
    electionLatencyAvg: {
      name: 'kafka.raft.election.latency.avg',
      unit: 's',
      description: 'Average time this node took to elect a new leader (election-latency-avg).',
      attributes: BROKER,
    },
    electionLatencyMax: {
      name: 'kafka.raft.election.latency.max',
      unit: 's',
      description: 'Longest time this node took to elect a new leader (election-latency-max).',
      attributes: BROKER,
    },
    commitLatencyAvg: {
      name: 'kafka.raft.commit.latency.avg',
      unit: 's',
      description:
        'Average time from appending a batch to the metadata log to its commit (commit-latency-avg).',
      attributes: BROKER,
    },
    commitLatencyMax: {
      name: 'kafka.raft.commit.latency.max',
      unit: 's',
      description:
        'Longest time from appending a batch to the metadata log to its commit (commit-latency-max).',
      attributes: BROKER,
    },
    appendRecordsRate: {
      name: 'kafka.raft.append_records.rate',
      unit: '{record}/s',
      description:
        'Records this node appends to the metadata log per second (append-records-rate).',
      attributes: BROKER,
    },
    fetchRecordsRate: {
      name: 'kafka.raft.fetch_records.rate',
      unit: '{record}/s',
      description:
        'Records this node fetches from the leader per second (fetch-records-rate; 0 on the leader).',
      attributes: BROKER,
    },
    highWatermark: {
      name: 'kafka.raft.high_watermark',
      unit: '{offset}',
      description: 'High watermark of the metadata log as this node knows it (high-watermark).',
      attributes: BROKER,
    },
    logEndOffset: {
      name: 'kafka.raft.log_end_offset',
      unit: '{offset}',
      description: "End offset of this node's copy of the metadata log (log-end-offset).",
      attributes: BROKER,
    },
    unknownVoterConnections: {
      name: 'kafka.raft.unknown_voter_connections',
      unit: '{connection}',
      description:
        'Voters this node cannot reach because it does not know their endpoint (number-unknown-voter-connections).',
      attributes: BROKER,
    },
    snapshotAge: {
      name: 'kafka.raft.snapshot.age',
      unit: 's',
      description:
        'Time since this node generated its latest metadata snapshot (SnapshotEmitter LatestSnapshotGeneratedAgeMs).',
      attributes: BROKER,
    },
    snapshotSize: {
      name: 'kafka.raft.snapshot.size',
      unit: 'By',
      description:
        'Size of the latest metadata snapshot this node generated (SnapshotEmitter LatestSnapshotGeneratedBytes).',
      attributes: BROKER,
    },
  },
  (snapshot: BrokerJmxSnapshot, emit) => {
    for (const { broker, raft, controller, metadataSnapshot } of snapshot.endpoints) {
      if (broker === undefined) continue;
      const attributes = { [ATTR_BROKER]: broker };
      if (raft) {
        for (const [key, field] of Object.entries(PLAIN)) {
          const value = raft[field];
          if (value !== undefined) emit[key as keyof typeof PLAIN](value, attributes);
        }
        for (const [key, field] of Object.entries(LATENCIES)) {
          const value = raft[field];
          if (value !== undefined) emit[key as keyof typeof LATENCIES](value / 1000, attributes);
        }
        if (raft.state !== undefined) emitState(raft.state, attributes, emit.state);
      }
      if (controller?.newActiveControllers !== undefined) {
        emit.elections(controller.newActiveControllers, attributes);
      }
      if (metadataSnapshot?.ageMs !== undefined) {
        emit.snapshotAge(metadataSnapshot.ageMs / 1000, attributes);
      }
      if (metadataSnapshot?.bytes !== undefined)
        emit.snapshotSize(metadataSnapshot.bytes, attributes);
    }
  },
);

function emitState(
  state: string,
  attributes: { [ATTR_BROKER]: number | string },
  emit: (value: number, attributes: Record<string, number | string>) => void,
): void {
  for (const known of RAFT_STATES)
    emit(known === state ? 1 : 0, { ...attributes, [ATTR_STATE]: known });
  // A state a newer Kafka adds is still reported, rather than reading as no state at all.
  if (!(RAFT_STATES as readonly string[]).includes(state))
    emit(1, { ...attributes, [ATTR_STATE]: state });
}
