import type { ClusterSnapshot, SnapshotError } from '../cluster-snapshot';

import { messageOf } from './groups-phase';

import { UnsupportedApiError, type ClusterClient } from '../protocol';

/** The KRaft metadata quorum; a ZooKeeper-mode cluster (3.x) has none, which is not an error. */
export async function fillQuorum(
  client: ClusterClient,
  snapshot: ClusterSnapshot,
  errors: SnapshotError[],
) {
  try {
    const quorum = await client.describeQuorum();
    const known = (t: number) => (t >= 0 ? t : undefined);
    const replica = (r: (typeof quorum.voters)[number]) => ({
      replicaId: r.replicaId,
      logEndOffset: r.logEndOffset,
      lastFetchTimestamp: known(r.lastFetchTimestamp),
    });
    snapshot.quorum = {
      leaderId: quorum.leaderId,
      leaderEpoch: quorum.leaderEpoch,
      highWatermark: quorum.highWatermark,
      voters: quorum.voters.map(replica),
      observers: quorum.observers.map(replica),
    };
  } catch (error) {
    if (error instanceof UnsupportedApiError) return;
    errors.push({ phase: 'quorum', message: messageOf(error) });
  }
}
