import type { ClusterSnapshot, SnapshotError, SnapshotPhase } from './cluster-snapshot';
import { emptySnapshot } from './cluster-snapshot';
import { groupsPhase, type GroupFacts, type GroupScope } from './phases/groups-phase';
import { logDirsPhase, type StorageFacts } from './phases/log-dirs-phase';
import { metadataPhase, type TopicScope } from './phases/metadata-phase';
import { offsetsPhase, type PartitionOffsets } from './phases/offsets-phase';
import type { PhaseOutcome } from './phases/phase-outcome';
import { quorumPhase, type QuorumFacts } from './phases/quorum-phase';
import { timeLagPhase, type TimeLagMemory, type TimeLagReads } from './phases/time-lag-phase';
import { topicConfigsPhase } from './phases/topic-configs-phase';
import { assembleSnapshot } from './snapshot-assembly';
import type { SnapshotClient } from './phases/snapshot-client';

/** Which topics and groups a snapshot covers. */
export interface SnapshotScope extends TopicScope, GroupScope {}

/** The value each phase after Metadata settles with. */
export interface PhaseValues {
  groups: GroupFacts[];
  offsets: Map<string, PartitionOffsets>;
  log_dirs: StorageFacts;
  quorum: QuorumFacts | undefined;
  configs: Map<string, number>;
  time_lag: TimeLagReads;
}

export type PhaseName = keyof PhaseValues;

/** The outcomes of the phases that settled before the deadline. */
export type SettledPhases = { readonly [K in PhaseName]?: PhaseOutcome<PhaseValues[K]> };

/** A snapshot, and the message times it read (what the next snapshot need not read again). */
export interface TakenSnapshot {
  readonly snapshot: ClusterSnapshot;
  /** Undefined when the time-lag phase did not settle in time (or did not run). */
  readonly timeLagReads?: TimeLagReads;
}

/**
 * Called for every phase whose result arrived after its snapshot was assembled (and was
 * dropped). A phase whose requests the deadline stopped brings no result: it is not called.
 */
export type LateResultListener = (phase: SnapshotPhase) => void;

/**
 * Takes one cluster snapshot under `signal`, the one deadline: Metadata first (it maps broker ids
 * to addresses and names the topics), then in parallel the consumer groups, log directories,
 * the KRaft quorum and min.insync.replicas, and the earliest and latest offsets once the groups
 * are known, so a committed offset is never read after the log end it is compared with; last,
 * the time of the first unconsumed message of each lagging group-partition, from the log.
 *
 * The snapshot is assembled once, from the phases that settled when they have all settled or
 * the signal fired; a phase that had not settled is reported as an error of its phase, and its
 * result, if it comes later, is dropped and reported to `onLateResult`. Nothing here throws.
 */
export async function takeClusterSnapshot(
  client: SnapshotClient,
  scope: SnapshotScope,
  timeLag: TimeLagMemory,
  signal: AbortSignal,
  onLateResult: LateResultListener,
  now: () => number = Date.now,
): Promise<TakenSnapshot> {
  const takenAt = now();
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const deadline = deadlinePassed(signal);

  let metadataLate = false;
  const metadataWork = metadataPhase(client, scope, signal).then((outcome) => {
    if (metadataLate && !outcome.cutOff) onLateResult('metadata');
    return outcome;
  });
  const metadata = await Promise.race([metadataWork, deadline]);
  if (metadata === undefined) {
    metadataLate = true;
    return { snapshot: emptySnapshot(takenAt, elapsed(), [missedDeadline('metadata', signal)]) };
  }
  if (metadata.value === undefined) {
    return { snapshot: emptySnapshot(takenAt, elapsed(), metadata.error ? [metadata.error] : []) };
  }
  const cluster = metadata.value;

  const board = new PhaseBoard(onLateResult);
  const groups = groupsPhase(client, cluster, scope, signal);
  const offsets = groups.then(() =>
    signal.aborted
      ? never<PhaseOutcome<PhaseValues['offsets']>>()
      : offsetsPhase(client, cluster, signal),
  );
  const times = Promise.all([groups, offsets]).then(([groupOutcome, offsetOutcome]) =>
    signal.aborted
      ? never<PhaseOutcome<PhaseValues['time_lag']>>()
      : timeLagPhase(client, cluster, groupOutcome.value, offsetOutcome.value, timeLag, signal),
  );
  await Promise.race([
    Promise.all([
      board.track('groups', groups),
      board.track('log_dirs', logDirsPhase(client, cluster, signal)),
      board.track('quorum', quorumPhase(client, signal)),
      board.track('configs', topicConfigsPhase(client, cluster, signal)),
      board.track('offsets', offsets),
      board.track('time_lag', times),
    ]),
    deadline,
  ]);
  const settled = board.close();
  const missed = PHASES.filter((phase) => settled[phase] === undefined).map((phase) =>
    missedDeadline(phase, signal),
  );
  return {
    snapshot: assembleSnapshot({ takenAt, durationSeconds: elapsed(), cluster, settled, missed }),
    timeLagReads: settled.time_lag?.value,
  };
}

const PHASES: readonly PhaseName[] = [
  'groups',
  'log_dirs',
  'quorum',
  'configs',
  'offsets',
  'time_lag',
];

/** Keeps each phase's outcome until the snapshot is assembled; later outcomes are dropped. */
class PhaseBoard {
  private readonly outcomes: { -readonly [K in PhaseName]?: PhaseOutcome<PhaseValues[K]> } = {};
  private closed = false;

  constructor(private readonly onLate: LateResultListener) {}

  track<K extends PhaseName>(phase: K, work: Promise<PhaseOutcome<PhaseValues[K]>>): Promise<void> {
    return work.then((outcome) => {
      if (this.closed) {
        if (!outcome.cutOff) this.onLate(phase);
      } else this.outcomes[phase] = outcome as (typeof this.outcomes)[K];
    });
  }

  /** The outcomes settled so far; nothing is added after this. */
  close(): SettledPhases {
    this.closed = true;
    return { ...this.outcomes };
  }
}

/** Resolves (with undefined) when the signal fires. */
function deadlinePassed(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}

function missedDeadline(phase: SnapshotPhase, signal: AbortSignal): SnapshotError {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : 'the snapshot was stopped';
  return { phase, errorType: 'timeout', message: `no result before the deadline: ${why}` };
}

/** A phase that is not started because the deadline passed: it never settles. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
