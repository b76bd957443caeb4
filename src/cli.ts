#!/usr/bin/env node
/**
 * `kafka-otel` command line. Commands arrive with the features they drive; unknown commands and
 * flags fail with a usage message and exit code 2, never a stack trace.
 */
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

const USAGE = `Usage: ${PACKAGE_NAME} <command> [options]

Commands:
  help         Show this message.
  version      Print the version.

Zero-code instrumentation of an application:
  node --require ${PACKAGE_NAME}/register app.js
  node --import ${PACKAGE_NAME}/register app.mjs
`;

/** Runs the CLI with the given arguments and returns the process exit code. */
export function main(
  argv: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): number {
  const [command = 'help'] = argv;
  switch (command) {
    case 'help':
    case '--help':
    case '-h':
      out.write(USAGE);
      return 0;
    case 'version':
    case '--version':
    case '-v':
      out.write(`${PACKAGE_VERSION}\n`);
      return 0;
    default:
      err.write(`${PACKAGE_NAME}: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
