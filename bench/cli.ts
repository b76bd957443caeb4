/**
 * `npm run bench -- <client|collector> [options]`: kafka-otel side by side with no telemetry and
 * with its peers. Progress goes to stderr; stdout carries only the result tables, and the full
 * report goes to docs/benchmarks.md (or --out).
 */
import path from 'node:path';
import { LocalKafkaError } from '../scripts/local-kafka';
import { InterruptedError as LocalKafkaInterruptedError } from '../scripts/local-kafka/errors';
import { runInterruptibleCli } from '../scripts/interruptible-cli';
import { parseArgs, USAGE, type Command } from './args';
import { runClientBench } from './client/client-bench';
import { reportSectionOf } from './client/client-selection';
import { renderClientReport, renderSummaryTables } from './client/markdown-report';
import { runCollectorBench } from './collector/collector-bench';
import { formatShape } from './collector/cluster-shape';
import {
  renderCollectorReport,
  renderSummaryTables as renderCollectorTables,
} from './collector/collector-report';
import { BenchError, InterruptedError } from './errors';
import { REPO_ROOT } from './paths';
import { writeReportSection } from './report-file';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function logReportPath(out: string): void {
  const relative = path.relative(REPO_ROOT, out);
  log(`Report written to ${relative.startsWith('..') ? out : relative}.`);
}

async function run(command: Command, signal: AbortSignal): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'client': {
      const report = await runClientBench(command.options, signal, log);
      process.stdout.write(`${renderSummaryTables(report)}\n`);
      await writeReportSection(
        command.options.out,
        reportSectionOf(command.options.client),
        renderClientReport(report),
      );
      logReportPath(command.options.out);
      return 0;
    }
    case 'collector': {
      const report = await runCollectorBench(command.options, signal, log);
      process.stdout.write(`${renderCollectorTables(report)}\n`);
      // One section per shape: a run at 10000x500 leaves the 6000x300 figures in place.
      const { shape, movingCommits } = command.options;
      const section = `collector:${formatShape(shape)}${movingCommits ? ':moving-commits' : ''}`;
      await writeReportSection(command.options.out, section, renderCollectorReport(report));
      logReportPath(command.options.out);
      return 0;
    }
  }
}

void runInterruptibleCli(
  (signal) => run(parseArgs(process.argv.slice(2)), signal),
  (error) => {
    if (error instanceof BenchError) {
      return {
        message: error.message,
        exitCode: error.exitCode,
        interrupted: error instanceof InterruptedError,
      };
    }
    if (error instanceof LocalKafkaError) {
      return {
        message: `Local Kafka: ${error.message}`,
        exitCode: error.exitCode,
        interrupted: error instanceof LocalKafkaInterruptedError,
      };
    }
    return undefined;
  },
  log,
);
