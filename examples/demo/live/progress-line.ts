/**
 * The progress line: rewritten in place once a second on a terminal, a plain line every five
 * seconds otherwise (logs, CI, a test reading stdout). Other output (notices) goes through
 * `print`, which clears the line first so the two never mix.
 */
export interface Progress {
  sent: number;
  settled: number;
  lag: number | undefined;
  errors: number;
  crashes: number;
  timeouts: number;
  rate: number;
  consumer: string;
  elapsedSeconds: number;
}

export function formatProgress(p: Progress): string {
  const elapsed = `${Math.floor(p.elapsedSeconds / 60)}:${String(Math.floor(p.elapsedSeconds % 60)).padStart(2, '0')}`;
  return [
    `[${elapsed}]`,
    `sent ${p.sent}`,
    `settled ${p.settled}`,
    `lag ${p.lag ?? '?'}`,
    `errors ${p.errors}`,
    `crashes ${p.crashes}`,
    `timeouts ${p.timeouts}`,
    `${p.rate}/s`,
    p.consumer,
  ].join('  ');
}

export class ProgressLine {
  private readonly tty = process.stdout.isTTY === true;
  private current = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly read: () => Progress) {}

  start(): void {
    this.timer = setInterval(() => this.render(), this.tty ? 1_000 : 5_000);
  }

  /** A line of its own above the progress line. */
  print(line: string): void {
    if (this.tty && this.current) process.stdout.write('\r\x1b[2K');
    process.stdout.write(`${line}\n`);
    if (this.tty && this.current) process.stdout.write(this.current);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.tty && this.current) process.stdout.write('\n');
    this.current = '';
  }

  private render(): void {
    const line = formatProgress(this.read());
    if (this.tty) {
      this.current = line.slice(0, (process.stdout.columns ?? 120) - 1);
      process.stdout.write(`\r\x1b[2K${this.current}`);
    } else {
      process.stdout.write(`${line}\n`);
    }
  }
}
