import type { LagStatus } from './lag-status';
import type { LagWindowView } from './lag-window';

/**
 * The status of one partition for one consumer group, from its sliding window of observations
 * (oldest first). No threshold on the lag itself: like Burrow's evaluator, the rules judge the
 * *behaviour* of the committed offset and of the lag over the window. The first rule that
 * matches wins:
 *
 * ```
 * #  status        rule
 * 1  ERR           newest committed offset < newest log start offset
 * 2  OK            newest lag = 0
 * 3  REWIND        the committed offset decreased between two observations, and the lag has
 *                  not been 0 since that decrease
 * 4  OK            fewer than `minObservations` observations
 * 5  OK            some lag in the window is 0
 * 6  STALL / STOP  the committed offset is the same in every observation (lag > 0 throughout):
 *                  STALL if the newest observation says a live consumer holds the partition,
 *                  STOP otherwise (known idle, or unknown)
 * 7  WARN          the lag never decreased between consecutive observations, and the newest
 *                  lag is greater than the oldest
 * 8  OK            otherwise: the lag decreased at least once (catching up) or held steady
 * ```
 *
 * Facts (ERR, REWIND) are reported from the first observations that show them; trends (STOP,
 * STALL, WARN) wait for `minObservations`, so one slow cycle or a fresh collector raises no alarm.
 *
 * How this follows Burrow, and where it differs on purpose:
 * - Burrow's rule "any zero lag in the window is OK" and "current lag 0 is never an error" are
 *   rules 2 and 5. Burrow checks STOP before the zero-lag rule because its window holds commits,
 *   which can be hours old; ours holds one observation per collection cycle, so a zero in the
 *   window is always recent (the role of Burrow's recent-broker-offsets guard against false STOP
 *   on slow topics).
 * - Burrow's REWIND is "an offset decreased within the window"; like Burrow PR #716 it is also
 *   raised when the lag was 0 *before* the rewind (a reset to earliest from a caught-up group),
 *   and cleared once the group has caught up *after* it.
 * - Burrow tells STOP (no commits for longer than the window's span) from STALL (commits that
 *   repeat the same offset) by commit events. A poller only sees the committed offset, so
 *   "unchanged in every observation" is "unchanged for at least the window's span", and group
 *   membership tells the two apart: a live holder that does not advance is STALL; nobody
 *   consuming is STOP.
 * - Burrow warns when the lag is "fixed or increasing". A steady backlog is not falling behind
 *   (and the time-lag gauge shows how big it is), so WARN here needs net growth as well.
 * - ERR: the committed offset is below the log start offset: retention deleted messages the
 *   group never read, and its next fetch gets OFFSET_OUT_OF_RANGE. A committed offset *above*
 *   the log end is not ERR: OffsetFetch runs after ListOffsets, so a busy caught-up group is
 *   routinely a few offsets "ahead"; that lag is clamped to 0.
 *
 * Examples, window of 5 (oldest left), `minObservations` 5:
 *
 * ```
 * committed  100  150  150  160  170
 * lag         20    0   30   25   40   -> OK      (rule 5: caught up within the window)
 *
 * committed  100  120  140  160  180
 * lag         50   50   50   50   50   -> OK      (rule 8: keeps pace with the producer)
 *
 * committed  100  120  140  160  180
 * lag         10   30   30   50   70   -> WARN    (rule 7: never decreased, 70 > 10)
 *
 * committed  500  500  500  500  500
 * lag         10   20   30   40   50   active   -> STALL (rule 6)
 *                                      idle / ? -> STOP  (rule 6)
 *
 * committed  900  950  400  420  440
 * lag         10   15  600  610  620   -> REWIND  (rule 3: 950 -> 400, not caught up since)
 *
 * committed  900  950  400  420 2000
 * lag         10   15  600    0   20   -> OK      (rule 5: caught up after the rewind)
 *
 * committed  100, log start 250         -> ERR     (rule 1, from a single observation)
 * ```
 */
export function evaluateLagWindow(window: LagWindowView, minObservations: number): LagStatus {
  const n = window.size;
  if (n === 0) return 'OK';
  const newest = n - 1;
  const logStart = window.newestLogStartOffset;
  if (logStart !== undefined && window.committedAt(newest) < logStart) return 'ERR';
  if (window.lagAt(newest) === 0) return 'OK';
  if (hasUnrecoveredRewind(window)) return 'REWIND';
  if (n < minObservations) return 'OK';
  if (hasZeroLag(window)) return 'OK';
  if (isCommittedOffsetUnchanged(window)) {
    return window.newestConsumerActive === true ? 'STALL' : 'STOP';
  }
  if (isLagOnlyGrowing(window)) return 'WARN';
  return 'OK';
}

/** Rule 3: a decrease of the committed offset with no zero lag at or after it. */
function hasUnrecoveredRewind(window: LagWindowView): boolean {
  for (let i = window.size - 1; i > 0; i--) {
    if (window.lagAt(i) === 0) return false;
    if (window.committedAt(i) < window.committedAt(i - 1)) return true;
  }
  return false;
}

/** Rule 5. */
function hasZeroLag(window: LagWindowView): boolean {
  for (let i = 0; i < window.size; i++) if (window.lagAt(i) === 0) return true;
  return false;
}

/** Rule 6. */
function isCommittedOffsetUnchanged(window: LagWindowView): boolean {
  const first = window.committedAt(0);
  for (let i = 1; i < window.size; i++) if (window.committedAt(i) !== first) return false;
  return true;
}

/** Rule 7. */
function isLagOnlyGrowing(window: LagWindowView): boolean {
  for (let i = 1; i < window.size; i++) if (window.lagAt(i) < window.lagAt(i - 1)) return false;
  return window.lagAt(window.size - 1) > window.lagAt(0);
}
