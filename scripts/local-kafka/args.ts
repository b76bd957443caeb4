import { UsageError } from './errors';
import {
  connectVersionFor,
  DEFAULT_KAFKA_VERSION,
  KAFKA_3_9_VERSION,
  resolveKafkaVersion,
  validateConnectVersion,
} from './kafka-versions';
import { DEFAULT_BASE_PORT, basePortProblem } from './ports';

export const USAGE = `Usage: npm run kafka -- <command> [options]

Runs a real Apache Kafka (KRaft, jars from Maven Central) on 127.0.0.1 for tests and demos.

Commands:
  start                 Start a cluster (created and formatted on first use), wait until every
                        broker answers, then print KAFKA_BROKERS=host:port[,host:port...]
                        (and, for a --secure cluster, the KAFKA_SASL_SSL_BROKERS, KAFKA_MTLS_BROKERS,
                        KAFKA_TLS_CA_FILE, KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE and
                        KAFKA_CLIENT_SETTINGS lines)
  start --node N        Start node N of an existing cluster again
  stop                  Stop the Connect worker, if any, and every node (SIGTERM, SIGKILL after 30 s)
  stop --node N         Stop node N only
  status                Show each node (up/down, pid, ports) and the same lines as start
  connect start         Start a distributed Kafka Connect worker (FileStream connectors, JSON and
                        String converters) against the cluster's PLAINTEXT listeners, wait until
                        its REST API answers, then print KAFKA_CONNECT_URL=http://127.0.0.1:BASE+50
                        and KAFKA_CONNECT_JOLOKIA_URL=http://127.0.0.1:BASE+51/jolokia/
                        (files in .local/kafka/NAME/connect/)
  connect start --secure
                        The same worker with an https REST API (certificate signed by the --secure
                        cluster's CA) requiring HTTP Basic authentication: prints
                        KAFKA_CONNECT_URL=https://127.0.0.1:BASE+50 and KAFKA_CONNECT_CREDENTIALS=FILE
                        (JSON: url, username, password, caFile; mode 0600; the password is random,
                        made once, never printed). Jolokia stays plain http on loopback. One worker
                        per cluster: stop a running worker of the other kind first
  connect stop          Stop the worker (SIGTERM, SIGKILL after 30 s)
  connect status        Show whether the worker runs (pid, version) and the same lines as start

Options:
  --cluster NAME        Cluster name (default: local); files in .local/kafka/NAME/
  --nodes 1|3           Combined broker+controller nodes (default: 1, or the cluster's count)
  --kafka-version V     ${DEFAULT_KAFKA_VERSION} (default), ${KAFKA_3_9_VERSION}, another 4.x / 3.9.x release,
                        or an alias: 4, 4.x, 3.9, 3.9.x
  --port BASE           Node N listens on BASE+N-1 (broker) and BASE+100+N-1 (controller);
                        default ${DEFAULT_BASE_PORT}
  --secure              Create the cluster with two more client listeners per node, besides
                        PLAINTEXT: SASL_SSL on BASE+10+N-1 (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512,
                        OAUTHBEARER with unsecured JWTs) and SSL requiring a client certificate
                        (mTLS) on BASE+20+N-1. Certificates (openssl) and users with random
                        passwords are made once, in .local/kafka/NAME/security/; the passwords
                        are only in its client-settings.json (mode 0600), never printed.
                        Default: not secure, or what the existing cluster was created with
  --jmx                 Attach a Jolokia agent (JMX over HTTP, loopback only) to every node, on
                        BASE+60+N-1, and print KAFKA_JOLOKIA_URLS; kept for later starts of the
                        cluster. Default: what the cluster was last started with (off at first)
  --connect-version V   (connect start) Kafka Connect release of the worker; default: the
                        cluster's Kafka version, or the newest Connect on Maven Central below it
                        (${DEFAULT_KAFKA_VERSION} -> ${connectVersionFor(DEFAULT_KAFKA_VERSION)})
  --fresh               Stop the cluster and delete its data first
  --timeout SECONDS     How long start waits for the nodes or the worker (default: 120)
  -h, --help            Show this help

Environment:
  KAFKA_OTEL_CACHE_DIR  Jar cache root (default: <repo>/.cache); jars in <root>/kafka/<version>/libs,
                        <root>/kafka-connect/<version>/libs and <root>/java-agents/
  JAVA_HOME             Java 17+ to run Kafka with (else \`java\` on PATH)
  KAFKA_OTEL_KAFKA_HEAP_MB  Heap of each node started, in MiB (default: 512, or 384 with 3 nodes)

Needs Java 17+, and Maven (\`mvn\`) the first time a Kafka or Connect version (or --jmx) is used.
Exit codes: 0 ok, 1 failure, 2 bad usage, 3 cluster unknown or (status) not fully up.
`;

export type Command =
  | { kind: 'help' }
  | {
      kind: 'start';
      cluster?: string;
      nodes?: number;
      kafkaVersion?: string;
      basePort?: number;
      /** True with --secure; undefined leaves an existing cluster as it was created. */
      secure?: boolean;
      /** True with --jmx; undefined leaves an existing cluster as it was last started. */
      jmx?: boolean;
      fresh: boolean;
      timeoutMs?: number;
    }
  | { kind: 'start-node'; cluster?: string; node: number; timeoutMs?: number }
  | { kind: 'stop'; cluster?: string; node?: number }
  | { kind: 'status'; cluster?: string }
  | {
      kind: 'connect-start';
      cluster?: string;
      connectVersion?: string;
      timeoutMs?: number;
      /** True with --secure: https and Basic authentication. */
      secure?: boolean;
    }
  | { kind: 'connect-stop'; cluster?: string }
  | { kind: 'connect-status'; cluster?: string };

type FlagName =
  | 'cluster'
  | 'nodes'
  | 'kafka-version'
  | 'port'
  | 'secure'
  | 'jmx'
  | 'fresh'
  | 'node'
  | 'timeout'
  | 'connect-version';

const VALUE_FLAGS = new Set<FlagName>([
  'cluster',
  'nodes',
  'kafka-version',
  'port',
  'node',
  'timeout',
  'connect-version',
]);
const BOOLEAN_FLAGS = new Set<FlagName>(['secure', 'jmx', 'fresh']);

type CommandName =
  'start' | 'stop' | 'status' | 'connect start' | 'connect stop' | 'connect status';

/** Which flags each command accepts; anything else is a mistake worth reporting. */
const ALLOWED: Record<CommandName, ReadonlySet<FlagName>> = {
  start: new Set([
    'cluster',
    'nodes',
    'kafka-version',
    'port',
    'secure',
    'jmx',
    'fresh',
    'node',
    'timeout',
  ]),
  stop: new Set(['cluster', 'node']),
  status: new Set(['cluster']),
  'connect start': new Set(['cluster', 'connect-version', 'timeout', 'secure']),
  'connect stop': new Set(['cluster']),
  'connect status': new Set(['cluster']),
};

/** `start`, `stop`, `status`, or `connect <action>`, and the tokens after it. */
function splitCommand(argv: string[]): { command: CommandName; rest: string[] } {
  const [first, second, ...others] = argv;
  if (first === 'connect') {
    if (second !== 'start' && second !== 'stop' && second !== 'status') {
      throw new UsageError(
        `Unknown connect command '${second ?? ''}' (expected connect start, connect stop or connect status).`,
      );
    }
    return { command: `connect ${second}`, rest: others };
  }
  if (first !== 'start' && first !== 'stop' && first !== 'status') {
    throw new UsageError(
      `Unknown command '${first ?? ''}' (expected start, stop, status or connect).`,
    );
  }
  return { command: first, rest: argv.slice(1) };
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > 3600) {
    throw new UsageError(`--timeout must be a number of seconds from 0 to 3600, got '${text}'.`);
  }
  return Math.round(seconds * 1000);
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got '${value}'.`);
  }
  return n;
}

function parseFlags(tokens: string[]): Map<FlagName, string> {
  const flags = new Map<FlagName, string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (!token.startsWith('--')) throw new UsageError(`Unexpected argument '${token}'.`);
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token.slice(2) : token.slice(2, eq)) as FlagName;
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value.`);
      flags.set(name, 'true');
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`Unknown option '--${name}'.`);
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      value = tokens[i + 1];
      i++;
    }
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new UsageError(`--${name} needs a value.`);
    }
    if (flags.has(name)) throw new UsageError(`--${name} is given twice.`);
    flags.set(name, value);
  }
  return flags;
}

/** Turns `process.argv.slice(2)` into a command; throws UsageError with a helpful message. */
export function parseArgs(argv: string[]): Command {
  if (argv.length === 0 || argv.some((a) => a === '-h' || a === '--help' || a === 'help')) {
    return { kind: 'help' };
  }
  const { command, rest } = splitCommand(argv);
  const flags = parseFlags(rest);
  for (const name of flags.keys()) {
    if (!ALLOWED[command].has(name)) {
      throw new UsageError(`'${command}' does not take --${name}.`);
    }
  }
  const cluster = flags.get('cluster');
  const node = flags.has('node') ? integer('node', flags.get('node') ?? '', 1, 3) : undefined;
  const timeoutMs = parseTimeout(flags.get('timeout'));

  if (command === 'connect start') {
    const versionText = flags.get('connect-version');
    return {
      kind: 'connect-start',
      cluster,
      connectVersion: versionText === undefined ? undefined : validateConnectVersion(versionText),
      timeoutMs,
      secure: flags.has('secure') ? true : undefined,
    };
  }
  if (command === 'connect stop') return { kind: 'connect-stop', cluster };
  if (command === 'connect status') return { kind: 'connect-status', cluster };
  if (command === 'status') return { kind: 'status', cluster };
  if (command === 'stop') return { kind: 'stop', cluster, node };
  if (node !== undefined) {
    const conflicting = (
      ['nodes', 'kafka-version', 'port', 'secure', 'jmx', 'fresh'] as const
    ).filter((f) => flags.has(f));
    if (conflicting.length > 0) {
      throw new UsageError(
        `start --node restarts one node of an existing cluster and cannot be combined with ${conflicting.map((f) => `--${f}`).join(', ')}.`,
      );
    }
    return { kind: 'start-node', cluster, node, timeoutMs };
  }
  const nodesText = flags.get('nodes');
  if (nodesText !== undefined && nodesText !== '1' && nodesText !== '3') {
    throw new UsageError(`--nodes must be 1 or 3, got '${nodesText}'.`);
  }
  const versionText = flags.get('kafka-version');
  const portText = flags.get('port');
  const basePort = portText === undefined ? undefined : Number(portText);
  if (portText !== undefined) {
    const problem = /^\d+$/.test(portText) ? basePortProblem(basePort ?? NaN) : undefined;
    if (problem || !/^\d+$/.test(portText)) {
      throw new UsageError(problem ?? `--port must be an integer, got '${portText}'.`);
    }
  }
  return {
    kind: 'start',
    cluster,
    nodes: nodesText === undefined ? undefined : Number(nodesText),
    kafkaVersion: versionText === undefined ? undefined : resolveKafkaVersion(versionText),
    basePort,
    secure: flags.has('secure') ? true : undefined,
    jmx: flags.has('jmx') ? true : undefined,
    fresh: flags.has('fresh'),
    timeoutMs,
  };
}
