import type { ClusterSnapshot } from './cluster-snapshot';
import { emptySnapshot } from './cluster-snapshot';

export interface SnapshotSourceOptions {
  /**
   * A snapshot younger than this is reused: several metric readers (a Prometheus scrape and an
   * OTLP push) collecting in the same cycle cost the cluster one round of requests.
   */
  maxAgeMs: number;
  /** The deadline handed to each snapshot; keep it shorter than the metric reader's timeout. */
  timeoutMs: number;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Called once for every snapshot taken (self-metrics), never for a reused one. */
  onSnapshot?: (snapshot: ClusterSnapshot) => void;
}

/** Takes a snapshot, honouring the signal: on abort it returns what it has, marked incomplete. */
export type TakeSnapshot = (signal: AbortSignal) => Promise<ClusterSnapshot>;

/**
 * Single-flight access to cluster snapshots. Every observable callback of a collection cycle
 * asks for `current()`; the first call starts a snapshot and the others share it, so each metric
 * family reads the same numbers and the cluster answers each request once per cycle.
 */
export class SnapshotSource {
  private inFlight: Promise<ClusterSnapshot> | undefined;
  private latest: ClusterSnapshot | undefined;
  private readonly now: () => number;

  constructor(
    private readonly take: TakeSnapshot,
    private readonly options: SnapshotSourceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The snapshot of the current cycle. Never rejects: a failure becomes an incomplete snapshot. */
  current(): Promise<ClusterSnapshot> {
    if (this.inFlight) return this.inFlight;
    if (this.latest && this.now() - this.latest.takenAt < this.options.maxAgeMs) {
      return Promise.resolve(this.latest);
    }
    const started = this.now();
    const flight = this.takeWithDeadline(started).then((snapshot) => {
      this.latest = snapshot;
      this.inFlight = undefined;
      try {
        this.options.onSnapshot?.(snapshot);
      } catch {
        // Self-metrics must not lose the snapshot every gauge is waiting for.
      }
      return snapshot;
    });
    this.inFlight = flight;
    return flight;
  }

  /** The last finished snapshot, if any. */
  last(): ClusterSnapshot | undefined {
    return this.latest;
  }

  private async takeWithDeadline(started: number): Promise<ClusterSnapshot> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The snapshot stops its own work on abort; this race only guards against one that
    // ignores the signal, so a stuck request can never hold every gauge hostage.
    const hardStop = new Promise<ClusterSnapshot>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        setTimeout(
          () =>
            resolve(
              emptySnapshot(started, [
                { phase: 'timeout', message: `snapshot took over ${this.options.timeoutMs} ms` },
              ]),
            ),
          Math.min(1_000, this.options.timeoutMs),
        ).unref();
      }, this.options.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([
        this.take(controller.signal).catch((error: unknown) =>
          emptySnapshot(started, [
            { phase: 'metadata', message: error instanceof Error ? error.message : String(error) },
          ]),
        ),
        hardStop,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
