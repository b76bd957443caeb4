import type { SnapshotClient } from './snapshot-client';
import type { QuorumVoterSnapshot } from '../cluster-snapshot';
import { UnsupportedApiError, type QuorumReplica } from '../protocol';
import { PhaseErrors, type PhaseOutcome } from './phase-outcome';

/** The KRaft metadata quorum as its leader describes it. */
export interface QuorumFacts {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly voters: readonly QuorumVoterSnapshot[];
  readonly observers: readonly QuorumVoterSnapshot[];
}

/** The KRaft metadata quorum; a ZooKeeper-mode cluster (3.x) has none, which is not an error. */
export async function quorumPhase(
  client: SnapshotClient,
  signal: AbortSignal,
): Promise<PhaseOutcome<QuorumFacts | undefined>> {
  const errors = new PhaseErrors('quorum');
  try {
    const quorum = await client.describeQuorum(signal);
    return errors.outcome({
      leaderId: quorum.leaderId,
      leaderEpoch: quorum.leaderEpoch,
      highWatermark: quorum.highWatermark,
      voters: quorum.voters.map(replica),
      observers: quorum.observers.map(replica),
    });
  } catch (error) {
    if (!(error instanceof UnsupportedApiError)) errors.add(error);
    return errors.outcome(undefined);
  }
}

function replica(r: QuorumReplica): QuorumVoterSnapshot {
  // -1: the leader has no fetch from this replica in its epoch.
  return r.lastFetchTimestamp >= 0
    ? {
        replicaId: r.replicaId,
        logEndOffset: r.logEndOffset,
        lastFetchTimestamp: r.lastFetchTimestamp,
      }
    : { replicaId: r.replicaId, logEndOffset: r.logEndOffset };
}
