import { count, isJsonObject, secondsFromMilliseconds, text } from './statistics-values';

/** The consumer's group membership, from the statistics' `cgrp`. */
export interface ConsumerGroupReadings {
  /** The group handler's state (`state`): init, query-coord, wait-coord, up, ... */
  readonly state: string | undefined;
  /** Time since the last state change (`stateage`, ms in librdkafka). */
  readonly stateAgeSeconds: number | undefined;
  /** Join state (`join_state`): init, wait-join, wait-sync, steady, ... */
  readonly joinState: string | undefined;
  /** Rebalances (assign or revoke) since the consumer started (`rebalance_cnt`). */
  readonly rebalanceCount: number | undefined;
  /** Time since the last rebalance (`rebalance_age`, ms); absent before the first one. */
  readonly secondsSinceRebalance: number | undefined;
  /** Partitions currently assigned to this consumer (`assignment_size`). */
  readonly assignedPartitions: number | undefined;
}

/** The `cgrp` section, or nothing when the document has none (producers, consumers without a group). */
export function readConsumerGroup(cgrp: unknown): ConsumerGroupReadings | undefined {
  if (!isJsonObject(cgrp)) return undefined;
  const rebalanceCount = count(cgrp.rebalance_cnt);
  return {
    state: text(cgrp.state),
    stateAgeSeconds: secondsFromMilliseconds(cgrp.stateage),
    joinState: text(cgrp.join_state),
    rebalanceCount,
    // Before the first rebalance librdkafka prints 0 (it has no time to subtract from), which
    // would read as "just rebalanced": absent instead, unless a rebalance is known to have happened.
    secondsSinceRebalance:
      rebalanceCount !== undefined && rebalanceCount > 0
        ? secondsFromMilliseconds(cgrp.rebalance_age)
        : undefined,
    assignedPartitions: count(cgrp.assignment_size),
  };
}
