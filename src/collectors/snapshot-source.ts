import { setMaxListeners } from 'node:events';

export interface SnapshotSourceOptions {
  /**
   * A finished snapshot younger than this (ms) is reused: several metric readers (a Prometheus
   * scrape and an OTLP push) collecting in the same cycle cost the cluster one round of
   * requests. 0: never reuse a finished snapshot.
   */
  shareForMs: number;
  /** The deadline of each snapshot, ms; keep it shorter than the metric reader's timeout. */
  timeoutMs: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/**
 * Takes a snapshot under `signal`, the deadline this source owns. Must settle soon after the
 * signal fires (with what it has, marked incomplete) and never reject.
 */
export type TakeSnapshot<S extends TimedSnapshot> = (signal: AbortSignal) => Promise<S>;

/** What a source shares: any snapshot that says when it was taken (epoch ms). */
export interface TimedSnapshot {
  readonly takenAt: number;
}

/** The reason a snapshot's signal carries when its deadline passes. */
export class SnapshotDeadline extends Error {
  constructor(timeoutMs: number) {
    super(`the ${timeoutMs} ms snapshot deadline passed`);
    this.name = 'SnapshotDeadline';
  }
}

/**
 * Single-flight access to snapshots (of a cluster, a Connect cluster, brokers' JMX). Every reader collecting asks for `current()`; the
 * first call starts a snapshot and the others arriving while it is taken share it, so every
 * series of a cycle comes from the same numbers and the cluster answers each request once.
 * The deadline has one owner, here: one AbortSignal per snapshot, down to the requests.
 */
export class SnapshotSource<S extends TimedSnapshot> {
  private inFlight: Promise<S> | undefined;
  private latest: S | undefined;
  private readonly now: () => number;

  constructor(
    private readonly take: TakeSnapshot<S>,
    private readonly options: SnapshotSourceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The snapshot of the current cycle. Never rejects: a failure is an incomplete snapshot. */
  current(): Promise<S> {
    if (this.inFlight) return this.inFlight;
    const { latest } = this;
    if (latest && this.now() - latest.takenAt < this.options.shareForMs) {
      return Promise.resolve(latest);
    }
    // Expired: let it go now rather than hold two large snapshots while the next one is taken.
    this.latest = undefined;
    // Cleared however the take ends: a take that rejects (a bug, or another's code it called)
    // must cost one cycle, not be handed to every later reader.
    const flight = this.takeWithDeadline()
      .then((snapshot) => {
        this.latest = snapshot;
        return snapshot;
      })
      .finally(() => {
        if (this.inFlight === flight) this.inFlight = undefined;
      });
    this.inFlight = flight;
    return flight;
  }

  private async takeWithDeadline(): Promise<S> {
    const { timeoutMs } = this.options;
    const controller = new AbortController();
    // Every request in flight listens to this one signal (hundreds on a large cluster), and
    // removes its listener when it settles: not the leak Node's default warning at 11 suspects.
    setMaxListeners(0, controller.signal);
    const timer = setTimeout(() => controller.abort(new SnapshotDeadline(timeoutMs)), timeoutMs);
    timer.unref();
    try {
      return await this.take(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}
