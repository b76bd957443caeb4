import { Agent, get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A scraper as Prometheus is one: it scrapes a `/metrics` URL every `intervalMs` over one
 * keep-alive connection, which stays open between scrapes (each scrape comes well within the
 * server's keep-alive timeout), until stopped. An endpoint that is not up yet, or gone, is
 * tried again at the next interval.
 */
export class KeepAliveScraper {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private stopped = false;
  /** Scrapes answered so far. */
  answered = 0;
  /** Of those, the ones sent on the connection an earlier scrape opened. */
  reusedConnection = 0;
  /** The body of the last answered scrape. */
  lastBody = '';

  constructor(
    private readonly url: string,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.agent.destroy();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.scrapeOnce().catch(() => undefined);
      await sleep(this.intervalMs);
    }
  }

  private scrapeOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = get(this.url, { agent: this.agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('error', reject);
        response.on('end', () => {
          if (response.statusCode === 200) {
            this.answered++;
            if (request.reusedSocket) this.reusedConnection++;
            this.lastBody = body;
          }
          resolve();
        });
      });
      request.on('error', reject);
    });
  }
}
