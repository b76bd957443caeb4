/**
 * `npm run soak -- [--minutes N] [--port BASE] [--keep-cluster]`: an instrumented service under
 * mixed load, broker restarts and topic/group churn, checked for a flat heap and flat series.
 * Progress goes to stderr; the sample table and the summary to stdout; the raw samples to
 * .local/soak/<time>.json. Not part of CI: it takes minutes and three Kafka nodes.
 */
import { LocalKafkaError } from '../local-kafka';
import { InterruptedError as LocalKafkaInterruptedError } from '../local-kafka/errors';
import { runInterruptibleCli } from '../interruptible-cli';
import { parseArgs, USAGE, type Command } from './args';
import { InterruptedError, SoakError } from './errors';
import { renderSampleTable, renderSummary } from './soak-report';
import { runSoak } from './soak-run';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function run(command: Command, signal: AbortSignal): Promise<number> {
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const result = await runSoak(command.options, signal, log);
  process.stdout.write(`${renderSampleTable(result.samples)}\n\n${renderSummary(result)}\n`);
  log(`Samples written to ${result.files.samples} (app log ${result.files.appLog}).`);
  if (result.built) log(`The package was built first: ${result.built}.`);
  if (result.interrupted) throw new InterruptedError();
  return result.failure === undefined && result.verdict.flat ? 0 : 1;
}

void runInterruptibleCli(
  (signal) => run(parseArgs(process.argv.slice(2)), signal),
  (error) => {
    if (error instanceof SoakError) {
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
