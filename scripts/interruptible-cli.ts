/**
 * The main loop the project's own command lines share (`npm run kafka`, `npm run otel-stack`):
 * they start processes in their own process groups, which Ctrl+C does not reach, so the first
 * SIGINT/SIGTERM aborts the running command (which kills what it launched) and only then
 * exits; a second one exits at once.
 */

/** How a CLI reports an error meant for the person at the terminal. */
export interface TerminalErrorReport {
  message: string;
  exitCode: number;
  /** An interruption the user asked for: printed without the `Error:` prefix. */
  interrupted: boolean;
}

export async function runInterruptibleCli(
  run: (signal: AbortSignal) => Promise<number>,
  describeUserError: (error: unknown) => TerminalErrorReport | undefined,
  log: (line: string) => void,
): Promise<void> {
  const abort = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (abort.signal.aborted) process.exit(130);
    log(`${name} received, cleaning up...`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    process.exitCode = await run(abort.signal);
  } catch (error) {
    const report = describeUserError(error);
    if (report) {
      log(`${report.interrupted ? '' : 'Error: '}${report.message}`);
      process.exitCode = report.exitCode;
    } else {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`Unexpected error: ${detail}`);
      process.exitCode = 1;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
