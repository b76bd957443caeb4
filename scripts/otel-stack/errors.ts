/**
 * An error for the person at the terminal: the message says what went wrong and what to do,
 * so the CLI prints it without a stack trace and exits with `exitCode`.
 */
export class OtelStackError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'OtelStackError';
  }
}

/** A command line the CLI cannot understand; exit code 2 like most Unix tools. */
export class UsageError extends OtelStackError {
  constructor(message: string) {
    super(`${message}\nRun \`npm run otel-stack -- --help\` for usage.`, 2);
    this.name = 'UsageError';
  }
}

/** The caller aborted (Ctrl+C); exit code 130 = 128 + SIGINT. */
export class InterruptedError extends OtelStackError {
  constructor(message = 'Interrupted.') {
    super(message, 130);
    this.name = 'InterruptedError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}
