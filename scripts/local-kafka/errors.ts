/**
 * An error meant for the person at the terminal: its message says what went wrong and what to
 * do about it, so the CLI prints it as is (no stack trace) and exits with `exitCode`.
 */
export class LocalKafkaError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'LocalKafkaError';
  }
}

/** A command line the CLI cannot understand; exit code 2 like most Unix tools. */
export class UsageError extends LocalKafkaError {
  constructor(message: string) {
    super(`${message}\nRun \`npm run kafka -- --help\` for usage.`, 2);
    this.name = 'UsageError';
  }
}

/** The caller aborted a start (Ctrl+C); exit code 130 = 128 + SIGINT. */
export class InterruptedError extends LocalKafkaError {
  constructor(message = 'Interrupted.') {
    super(message, 130);
    this.name = 'InterruptedError';
  }
}
