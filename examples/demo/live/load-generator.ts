/**
 * The load: `POST /payments` to the payments API at a steady rate, as clients of the API would
 * send them, counting what was accepted and what failed. A bounded number of requests in flight:
 * when the API falls behind, the generator waits instead of piling requests up.
 */

export interface LoadCounts {
  sent: number;
  failed: number;
}

const MAX_IN_FLIGHT = 32;
const TICK_MS = 50;
const ACCOUNTS = 5;
/** Over the broker's default message.max.bytes (1 MiB + a little): the broker refuses it. */
const OVERSIZED_MEMO_BYTES = 1_200_000;

export class LoadGenerator {
  readonly counts: LoadCounts = { sent: 0, failed: 0 };
  private issued = 0;
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private issuedAtStart = 0;

  constructor(
    private readonly url: string,
    private rate: number,
  ) {}

  start(): void {
    this.restartClock();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  setRate(rate: number): void {
    this.rate = rate;
    this.restartClock();
  }

  get currentRate(): number {
    return this.rate;
  }

  /**
   * Payments whose message the broker refuses (MESSAGE_TOO_LARGE): failed sends the producer
   * counts with `error.type`. Several, a few seconds apart, because the failure counter is born
   * at its first failure: Prometheus sees the series start at 1, and only the failures after
   * that show in `rate()` (and so in the producer error-rate alert). Resolves with how many the
   * API refused.
   */
  async sendOversized(count: number, gapMs: number): Promise<number> {
    let refused = 0;
    for (let i = 0; i < count; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      const ok = await this.post({
        account: 'account-oversized',
        cents: 1,
        memo: 'x'.repeat(OVERSIZED_MEMO_BYTES),
      });
      if (!ok) refused++;
    }
    return refused;
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }

  private restartClock(): void {
    this.startedAt = Date.now();
    this.issuedAtStart = this.issued;
  }

  private tick(): void {
    const due = Math.floor(((Date.now() - this.startedAt) / 1000) * this.rate);
    while (this.issued - this.issuedAtStart < due && this.inFlight.size < MAX_IN_FLIGHT) {
      const n = this.issued++;
      void this.post({ account: `account-${n % ACCOUNTS}`, cents: 100 + (n % 900) });
    }
    // Behind by more than a second's worth (the API was slow): skip ahead rather than burst.
    if (due - (this.issued - this.issuedAtStart) > this.rate) this.restartClock();
  }

  private post(payment: object): Promise<boolean> {
    const request = fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payment),
      signal: AbortSignal.timeout(30_000),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) this.counts.sent++;
        else this.counts.failed++;
        return response.ok;
      })
      .catch(() => {
        this.counts.failed++;
        return false;
      });
    const tracked = request.then(() => undefined);
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return request;
  }
}
