/**
 * Errors meant for the person at the terminal: the message says what went wrong and what to do,
 * so the CLI prints it without a stack trace and exits with `exitCode`.
 */
export class SoakError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'SoakError';
  }
}

/** A command line the soak cannot understand; exit code 2 like the project's other CLIs. */
export class UsageError extends SoakError {
  constructor(message: string) {
    super(`${message}\nRun \`npm run soak -- --help\` for usage.`, 2);
    this.name = 'UsageError';
  }
}

/** The user pressed Ctrl+C; exit code 130 = 128 + SIGINT. */
export class InterruptedError extends SoakError {
  constructor(message = 'Interrupted.') {
    super(message, 130);
    this.name = 'InterruptedError';
  }
}
