import { ATTR_VOTER } from '../collector-attributes';
import type { QuorumSnapshot, QuorumVoterSnapshot } from '../cluster-snapshot';
import { metricFamily } from './metric-family';

/** The KRaft metadata quorum (DescribeQuorum): leader, epoch, high watermark, voter health. */
export const quorumMetrics = metricFamily(
  {
    leader: {
      name: 'kafka.quorum.leader',
      unit: '{broker}',
      description: 'Node id of the active controller (leader of the KRaft metadata quorum).',
      attributes: [],
    },
    epoch: {
      name: 'kafka.quorum.epoch',
      unit: '{epoch}',
      description: 'Leader epoch of the metadata quorum; it grows with every controller election.',
      attributes: [],
    },
    highWatermark: {
      name: 'kafka.quorum.high_watermark',
      unit: '{offset}',
      description: 'High watermark of the __cluster_metadata log.',
      attributes: [],
    },
    voterLag: {
      name: 'kafka.quorum.voter.lag',
      unit: '{entry}',
      description: 'Metadata log entries the voter is behind the leader.',
      attributes: [ATTR_VOTER],
    },
    voterFetchAge: {
      name: 'kafka.quorum.voter.fetch_age',
      unit: 's',
      description:
        'Seconds since the voter last fetched from the leader, as the leader saw it; for a voter that has not fetched from the current leader, at least the time since its epoch began.',
      attributes: [ATTR_VOTER],
    },
  },
  (snapshot, emit) => {
    const quorum = snapshot.quorum;
    if (!quorum) return;
    emit.leader(quorum.leaderId);
    emit.epoch(quorum.leaderEpoch);
    emit.highWatermark(quorum.highWatermark);
    const leaderEnd =
      quorum.voters.find((v) => v.replicaId === quorum.leaderId)?.logEndOffset ??
      quorum.highWatermark;
    for (const voter of quorum.voters) {
      const attributes = { [ATTR_VOTER]: voter.replicaId };
      // -1: the voter has not fetched from this leader yet (e.g. right after an election).
      // Its lag is unknown then, not the whole log.
      if (voter.logEndOffset >= 0) {
        emit.voterLag(Math.max(0, leaderEnd - voter.logEndOffset), attributes);
      }
      const age = fetchAgeSeconds(voter, quorum, snapshot.takenAt);
      if (age !== undefined) emit.voterFetchAge(age, attributes);
    }
  },
);

/**
 * How long the voter has been out of touch with the leader. A voter the leader has no fetch time
 * for (a stopped former leader, say) has not fetched in this whole epoch: its age is at least
 * the time since the epoch was first seen. At that first sighting the bound is 0, which would
 * read as healthy: the series is left out until the bound has grown.
 */
function fetchAgeSeconds(
  voter: QuorumVoterSnapshot,
  quorum: QuorumSnapshot,
  takenAt: number,
): number | undefined {
  if (voter.lastFetchTimestamp !== undefined) {
    return Math.max(0, takenAt - voter.lastFetchTimestamp) / 1000;
  }
  if (quorum.epochSeenAt === undefined || takenAt <= quorum.epochSeenAt) return undefined;
  return (takenAt - quorum.epochSeenAt) / 1000;
}
