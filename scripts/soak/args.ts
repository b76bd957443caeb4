import { parseArgs as parseNodeArgs } from 'node:util';
import { basePortProblem } from '../local-kafka/ports';
import { UsageError } from './errors';

/** Apart from the demo's 19092, the test clusters' 29092/39092/49592 and the bench's 57092/59092. */
export const SOAK_BASE_PORT = 53092;
export const SOAK_CLUSTER = 'soak';
const DEFAULT_MINUTES = 10;
/** The warm-up minute plus enough samples after it to judge a trend. */
const MIN_MINUTES = 2;
/** A bound, not a recommendation: a day of samples still fits in memory and in one JSON file. */
const MAX_MINUTES = 24 * 60;

export const USAGE = `Usage: npm run soak -- [options]

Runs an instrumented KafkaJS service for a while against a three-node local Kafka cluster
'${SOAK_CLUSTER}' and checks that its heap and its exported series stay flat. The service runs
in its own process, started as users start theirs (\`node --require kafka-otel/register\`, the
built package) with the Prometheus exporter, OTLP traces and the in-process cluster collector.
Its load: plain, idempotent and transactional producers, eachMessage and eachBatch consumers in
three groups, a topic created, used and deleted every 30 s, a short-lived group every 20 s.
Every 2 minutes one broker is restarted (SIGTERM, then started again), in turn; the last
quarter of the run has no restart.

Every 10 s the soak records the service's heap (as read, and after V8's latest major GC),
RSS, the series on its /metrics, messages sent and consumed, and errors. At the end it prints
the samples and a verdict, and writes them to .local/soak/<time>.json.

Options:
  --minutes N      Length of the run after the service is ready (default: ${DEFAULT_MINUTES}, at least ${MIN_MINUTES})
  --port BASE      Broker port of node 1 (default: ${SOAK_BASE_PORT}); nodes use BASE..BASE+2 and
                   controllers BASE+100..BASE+102
  --keep-cluster   Leave the cluster running at the end (stop it with
                   \`npm run kafka -- stop --cluster ${SOAK_CLUSTER}\`)
  -h, --help       Show this help

Builds the package first (\`npm run build\`) when dist/ is missing or older than src/.
Exit codes: 0 heap and series flat, 1 growing (or the run failed), 2 bad usage, 130 interrupted.
`;

export interface SoakOptions {
  minutes: number;
  basePort: number;
  keepCluster: boolean;
}

export type Command = { kind: 'help' } | { kind: 'soak'; options: SoakOptions };

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got '${value}'.`);
  }
  return n;
}

export function parseArgs(argv: string[]): Command {
  let values;
  try {
    ({ values } = parseNodeArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        minutes: { type: 'string' },
        port: { type: 'string' },
        'keep-cluster': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const basePort =
    values.port === undefined ? SOAK_BASE_PORT : integer('port', values.port, 1024, 65535);
  const portProblem = basePortProblem(basePort);
  if (portProblem) throw new UsageError(portProblem);
  return {
    kind: 'soak',
    options: {
      minutes:
        values.minutes === undefined
          ? DEFAULT_MINUTES
          : integer('minutes', values.minutes, MIN_MINUTES, MAX_MINUTES),
      basePort,
      keepCluster: values['keep-cluster'] === true,
    },
  };
}
