import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** Told once that the app is stopping; every loop of the app waits through it. */
export class StopSignal {
  private readonly controller = new AbortController();

  constructor() {
    // Every loop's sleep listens to the one signal at once (a dozen or so, a fixed number):
    // Node's default limit of 10 would warn of a leak that is not there.
    setMaxListeners(100, this.controller.signal);
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  stop(): void {
    this.controller.abort();
  }

  /** Resolves once the app stops. */
  whenStopped(): Promise<void> {
    const { signal } = this.controller;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) =>
      signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }

  /** Waits `ms`, or less when the app stops meanwhile; never rejects. */
  async sleep(ms: number): Promise<void> {
    if (this.stopped || ms <= 0) return;
    await sleep(ms, undefined, { signal: this.controller.signal }).catch(() => undefined);
  }

  /** Waits until the clock reaches `at` (epoch ms), or the app stops. */
  sleepUntil(at: number): Promise<void> {
    return this.sleep(at - Date.now());
  }
}

/**
 * `work`, or a rejection after `ms`: a KafkaJS call that hangs while a broker restarts must not
 * hold a loop of the app forever. The work itself is left to settle on its own.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
  });
  // A late rejection of the abandoned work must not become an unhandled one.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
