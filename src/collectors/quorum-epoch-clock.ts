import type { QuorumSnapshot } from './cluster-snapshot';

/**
 * Remembers when this collector first saw each leader epoch of the KRaft quorum. DescribeQuorum
 * gives no epoch start time, and a voter that stopped (a former leader, say) has no fetch time
 * at the new leader: it has then been out of touch at least since the epoch began, and the
 * epoch began no later than its first sighting. That bound is what keeps such a voter from
 * reading as healthy.
 */
export class QuorumEpochClock {
  private epoch: number | undefined;
  private seenAt = 0;

  /** When the quorum's current epoch was first seen, `takenAt` if this is the first time. */
  observe(
    quorum: Pick<QuorumSnapshot, 'leaderEpoch'> | undefined,
    takenAt: number,
  ): number | undefined {
    if (quorum === undefined) return undefined;
    if (quorum.leaderEpoch !== this.epoch) {
      this.epoch = quorum.leaderEpoch;
      this.seenAt = takenAt;
    }
    return this.seenAt;
  }
}
