/**
 * The values of the `status` attribute of `kafka.consumer_group.status`, least severe first.
 * The order is the severity used when a group's partitions disagree (the worst one wins):
 *
 * | status | meaning                                                        | why this rank            |
 * |--------|----------------------------------------------------------------|--------------------------|
 * | OK     | keeping up, catching up, or not enough evidence yet            |                          |
 * | WARN   | offsets move but lag only grows: falling behind                | recovers if load drops   |
 * | STALL  | a live consumer holds the partition but its offset is stuck    | someone is there to fix  |
 * | STOP   | the offset is stuck and no live consumer is known to hold it   | backlog only grows       |
 * | REWIND | the committed offset went backwards: data is being re-read     | duplicates downstream    |
 * | ERR    | committed offset below the log start: unread data was deleted  | data already lost        |
 *
 * Burrow (whose rules these follow, see `lag-status-rules.ts`) ranks STALL above STOP and has no
 * partition-level ERR; here ERR is a partition fact (retention overtook the group), and STOP
 * ranks above STALL because a stopped partition has no consumer that could recover on its own.
 */
export const LAG_STATUSES = ['OK', 'WARN', 'STALL', 'STOP', 'REWIND', 'ERR'] as const;

/** A consumer-group lag status: one of {@link LAG_STATUSES}. */
export type LagStatus = (typeof LAG_STATUSES)[number];

const SEVERITY: Readonly<Record<LagStatus, number>> = {
  OK: 0,
  WARN: 1,
  STALL: 2,
  STOP: 3,
  REWIND: 4,
  ERR: 5,
};

/** Rank of a status in {@link LAG_STATUSES} (0 for OK, 5 for ERR). */
export function lagStatusSeverity(status: LagStatus): number {
  return SEVERITY[status];
}

/** The more severe of two statuses (the first one on a tie). */
export function worseLagStatus(a: LagStatus, b: LagStatus): LagStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}
