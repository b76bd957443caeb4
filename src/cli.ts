#!/usr/bin/env node
/**
 * `kafka-otel` command line. Bad commands, flags and values fail with a message and exit code
 * 2, never a stack trace; `collect` runs until SIGTERM or SIGINT and then exits 0.
 */
import { parseCollectConfig } from './cli/collect-config';
import { collectUsage } from './cli/collect-usage';
import { applyExporterHeapPolicy } from './cli/heap-policy';
import { runCollect } from './cli/run-collect';
import { UsageError } from './cli/usage-error';
import type { Environment } from './config/env-reader';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

const USAGE = `Usage: ${PACKAGE_NAME} <command> [options]

Commands:
  collect      Export Kafka cluster metrics (brokers, partitions, replication, storage,
               quorum, consumer-group lag) to Prometheus or OTLP. '${PACKAGE_NAME} collect --help'
  help         Show this message.
  version      Print the version.

Zero-code instrumentation of an application:
  node --require ${PACKAGE_NAME}/register app.js
  node --import ${PACKAGE_NAME}/register app.mjs
`;

/** The streams, environment and stop signal the CLI uses; injectable for tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Environment;
  /** Stops a running `collect`; the entry point aborts it on SIGTERM / SIGINT. */
  signal: AbortSignal;
}

/** Runs the CLI with the given arguments and resolves with the process exit code. */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const [command = 'help', ...rest] = argv;
  switch (command) {
    case 'help':
    case '--help':
    case '-h':
      stdout.write(USAGE);
      return 0;
    case 'version':
    case '--version':
    case '-v':
      stdout.write(`${PACKAGE_VERSION}\n`);
      return 0;
    case 'collect': {
      let config;
      try {
        config = parseCollectConfig(rest, env);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        stderr.write(
          `${PACKAGE_NAME} collect: ${error.message}\nRun '${PACKAGE_NAME} collect --help' for the options.\n`,
        );
        return 2;
      }
      if (config === 'help') {
        stdout.write(collectUsage());
        return 0;
      }
      return runCollect(config, { env, stderr, signal: io.signal ?? new AbortController().signal });
    }
    default:
      stderr.write(`${PACKAGE_NAME}: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  applyExporterHeapPolicy();
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  main(process.argv.slice(2), { signal: stop.signal }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${PACKAGE_NAME}: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
