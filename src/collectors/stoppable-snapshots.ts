import { SnapshotSource, type TimedSnapshot } from './snapshot-source';

/** When a collector's snapshots end, and for how long a finished one is shared. */
export interface SnapshotTimingOptions {
  snapshotTimeoutMs: number;
  minSnapshotIntervalMs: number;
}

/**
 * The snapshots of a collector that can be stopped and started again (the Connect and broker JMX
 * collectors): a {@link SnapshotSource} that stop() replaces. A snapshot under way when the
 * collector stops had its connections closed under it, so it says nothing about what it
 * watches: it is never served (not to a collection spanning the stop, nor after a later
 * start()), and the snapshot itself can tell, through its {@link generation}, not to log an
 * outage or remember anything.
 */
export class StoppableSnapshots<S extends TimedSnapshot> {
  private running = false;
  private stops = 0;
  private source: SnapshotSource<S>;

  constructor(
    private readonly take: (signal: AbortSignal) => Promise<S>,
    private readonly timing: SnapshotTimingOptions,
  ) {
    this.source = this.newSource();
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
    this.stops++;
    this.source = this.newSource();
  }

  /** Read as a snapshot begins; {@link stoppedSince} tells whether stop() came after. */
  get generation(): number {
    return this.stops;
  }

  stoppedSince(generation: number): boolean {
    return generation !== this.stops;
  }

  /** The snapshot of the current cycle for a collection; undefined when stopped, before or during it. */
  async forCollection(): Promise<S | undefined> {
    if (!this.running) return undefined;
    const generation = this.stops;
    const snapshot = await this.source.current();
    return this.stoppedSince(generation) ? undefined : snapshot;
  }

  /** The snapshot of the current cycle, whether or not the collector runs. */
  current(): Promise<S> {
    return this.source.current();
  }

  private newSource(): SnapshotSource<S> {
    return new SnapshotSource(this.take, {
      shareForMs: this.timing.minSnapshotIntervalMs,
      timeoutMs: this.timing.snapshotTimeoutMs,
    });
  }
}
