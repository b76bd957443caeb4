import { errorName } from '../../kafka-names/error-names';
import type { SnapshotError, SnapshotPhase } from '../cluster-snapshot';
import { BrokerRequestError, ProtocolDecodeError } from '../protocol';

/**
 * What one phase of a snapshot learned, with the failures of its own requests. Phases never
 * throw and never write into anything shared: the snapshot is assembled from their outcomes
 * once they have all settled or the deadline has passed.
 */
export interface PhaseOutcome<T> {
  readonly value: T;
  readonly errors: readonly SnapshotError[];
  /** True when some request was stopped by the deadline: the outcome is cut off, not late. */
  readonly cutOff: boolean;
}

/** Collects a phase's request failures as it goes. */
export class PhaseErrors {
  readonly list: SnapshotError[] = [];
  private cutOff = false;

  constructor(private readonly phase: SnapshotPhase) {}

  /**
   * Records a failed request (or step) of this phase, on `broker` when there was one. A string
   * is an error the broker answered for one group or partition.
   */
  add(error: unknown, broker?: number, phase: SnapshotPhase = this.phase): void {
    if (isCutOff(error)) this.cutOff = true;
    this.list.push(snapshotError(phase, error, broker));
  }

  /** The outcome of the phase: `value` with the failures recorded so far. */
  outcome<T>(value: T): PhaseOutcome<T> {
    return { value, errors: this.list, cutOff: this.cutOff };
  }
}

/** A snapshot error of `phase` for a failed request (or step), or a string the broker answered. */
export function snapshotError(
  phase: SnapshotPhase,
  error: unknown,
  broker?: number,
): SnapshotError {
  const message = error instanceof Error ? error.message : String(error);
  const errorType = errorTypeOf(error);
  return broker === undefined
    ? { phase, errorType, message }
    : { phase, broker, errorType, message };
}

/**
 * The `error.type` of a failure: the request's failure reason; `timeout` for a request the
 * snapshot deadline stopped; `internal` for anything else thrown, which is a bug of ours.
 */
function errorTypeOf(error: unknown): string {
  if (typeof error === 'string') return 'error_response';
  if (error instanceof BrokerRequestError) {
    return error.reason === 'aborted' ? 'timeout' : error.reason;
  }
  if (error instanceof ProtocolDecodeError) return 'decode';
  return 'internal';
}

/** A request the snapshot's signal stopped (it would have answered after the deadline). */
export function isCutOff(error: unknown): boolean {
  return error instanceof BrokerRequestError && error.reason === 'aborted';
}

/** A Kafka error code as an operator looks it up: `COORDINATOR_NOT_AVAILABLE (15)`. */
export function namedErrorCode(errorCode: number): string {
  return `${errorName(errorCode)} (${errorCode})`;
}

/** `topic` + NUL + `partition`: a map key no topic name can collide with. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
