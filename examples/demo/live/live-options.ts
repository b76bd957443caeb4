/** The flags of `npm run demo -- --live`. */
import { parseArgs } from 'node:util';

export interface LiveOptions {
  /** Payments per second the load generator sends. */
  rate: number;
  /** Seconds to run; undefined: until Ctrl-C or `quit`. */
  durationSeconds: number | undefined;
  /** Where the JSON log lines go: a file, or '-' for stderr. */
  logFile: string;
  /** Name of the otel stack (Collector, Prometheus, Jaeger) to start or reuse. */
  stack: string;
  keepKafka: boolean;
  keepStack: boolean;
  help: boolean;
}

export const DEFAULT_RATE = 20;

export const LIVE_USAGE = `Usage: npm run demo -- --live [options]

Runs the payments pipeline under load against a local Kafka (cluster 'demo', 127.0.0.1:19292,
with its brokers' JMX over Jolokia and a Kafka Connect worker running the demo's connectors),
with the real OpenTelemetry Collector, Prometheus (evaluating the alert rules) and Jaeger,
until Ctrl-C.

Options:
  --rate N          Payments per second (default ${DEFAULT_RATE})
  --duration S      Stop after S seconds (default: run until Ctrl-C or 'quit')
  --log-file PATH   JSON log lines of the services (default .local/demo/live.log.jsonl;
                    '-' for stderr)
  --stack NAME      otel stack to start or reuse (default demo)
  --keep-kafka      Leave the Kafka this demo started running at the end
  --keep-stack      Leave the otel stack this demo started running at the end
  -h, --help        Show this help

Environment:
  KAFKA_BROKERS     Use this Kafka (PLAINTEXT) instead of starting the local one; then
                    Connect and the brokers' JMX only when these name them (the variables
                    npm run kafka -- start --jmx and connect start print):
  KAFKA_CONNECT_URL          Kafka Connect REST API (a worker on this machine: the
                             demo's FileStream connectors use local files)
  KAFKA_CONNECT_JOLOKIA_URL  that worker's Jolokia agent (per-task metrics)
  KAFKA_JOLOKIA_URLS         the brokers' Jolokia agents, comma-separated
`;

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`--${flag} must be a positive number, got '${value}'`);
  }
  return n;
}

export function parseLiveOptions(argv: string[], defaultLogFile: string): LiveOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      live: { type: 'boolean' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'log-file': { type: 'string' },
      stack: { type: 'string' },
      'keep-kafka': { type: 'boolean' },
      'keep-stack': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return {
    rate: positiveNumber('rate', values.rate) ?? DEFAULT_RATE,
    durationSeconds: positiveNumber('duration', values.duration),
    logFile: values['log-file'] ?? defaultLogFile,
    stack: values.stack ?? 'demo',
    keepKafka: values['keep-kafka'] === true,
    keepStack: values['keep-stack'] === true,
    help: values.help === true,
  };
}
