import path from 'node:path';
import { parseArgs as parseNodeArgs } from 'node:util';
import { CLIENT_BENCH_DEFAULTS, type ClientBenchOptions } from './client/client-bench-options';
import { CLIENT_SELECTIONS, variantsOf, type ClientSelection } from './client/client-selection';
import { clientOf, SCENARIOS, VARIANTS, type Variant } from './client/run-contract';
import { parseShape } from './collector/cluster-shape';
import {
  COLLECTOR_BENCH_CLUSTER,
  COLLECTOR_BENCH_DEFAULTS,
  COLLECTOR_VARIANTS,
  type CollectorBenchOptions,
} from './collector/collector-bench-options';
import { UsageError } from './errors';
import { DEFAULT_REPORT_PATH, REPO_ROOT } from './paths';

const d = CLIENT_BENCH_DEFAULTS;
const c = COLLECTOR_BENCH_DEFAULTS;

/** Raw figures and logs of the collector bench (git-ignored). */
const COLLECTOR_RAW_DIR = path.join(REPO_ROOT, '.local', 'bench-collector');

export const USAGE = `Usage: npm run bench -- <benchmark> [options]

Benchmarks:
  client      KafkaJS without telemetry, with kafka-otel (metrics only, metrics + traces) and
              with @opentelemetry/instrumentation-kafkajs (and, with --client, the same for
              @confluentinc/kafka-javascript): throughput, CPU and memory of a producer and of
              eachMessage / eachBatch consumers, each run in a fresh process
  collector   \`kafka-otel collect\` against the OpenTelemetry Collector's kafkametrics receiver
              on a cluster of a given shape: snapshot time, series, memory, requests per API

Options of \`client\`:
  --messages N        Messages per run (default: ${d.messages})
  --rounds R          Rounds; each runs every variant once, order rotated (default: ${d.rounds})
  --size BYTES        Message value size (default: ${d.messageBytes})
  --partitions P      Partitions of the bench topics (default: ${d.partitions})
  --scenarios a,b     Among ${SCENARIOS.join(', ')} (default: all)
  --client C          ${CLIENT_SELECTIONS.join(', ')} (default: ${d.client}): kafkajs measures
                      ${variantsOf('kafkajs').join(', ')}; confluent measures
                      ${variantsOf('confluent').join(', ')} on the cached
                      @confluentinc/kafka-javascript (built by \`npm run confluent-client\` on first
                      use, about 2 minutes); all measures both. confluent and all write report
                      sections of their own (client:confluent, client:all)
  --variants a,b      Among the --client's variants (default: all of them; ratios need the
                      client's bare variant)
  --brokers h:p[,h:p] Use this Kafka (or set KAFKA_BROKERS); default: start or reuse the local
                      single-node cluster 'bench' on 127.0.0.1:59092, stopped at the end only
                      if the bench started it
  --out PATH          Markdown report; its client section is replaced
                      (default: docs/benchmarks.md)
  --no-build          Use dist/ as it is instead of running \`npm run build\` first
  --git-ref REF       Build and measure kafka-otel as committed at REF (e.g. HEAD) instead of
                      the working tree, e.g. while src/ is in the middle of an edit
  --cpu-prof-dir DIR  Write V8 CPU profiles of every run to DIR/<scenario>-<variant>-round<R>/
                      (figures then include the profiler's overhead: never publish them)
  -h, --help          Show this help

Options of \`collector\`:
  --shape PxG         P partitions and G consumer groups (default: ${c.shape}; also 10000x500, or
                      any PxG): topics of at most 100 partitions, 5 groups per topic, each group
                      committing offsets on every partition of its topic, behind the log end
  --rounds R          Rounds; each runs every variant once in a fresh process, order rotated
                      (default: ${c.rounds})
  --scrapes K         Timed scrapes per run, after one warm-up (default: ${c.scrapes})
  --variants a,b      Among ${COLLECTOR_VARIANTS.join(', ')} (default: all)
  --git-ref REF       Also measure kafka-otel as committed at REF, as variant kafka-otel@REF
  --messages N        Records per partition (default: ${c.messagesPerPartition})
  --brokers h:p[,h:p] Use this Kafka (or set KAFKA_BROKERS); default: start or reuse the local
                      ${COLLECTOR_BENCH_CLUSTER.nodes}-node cluster '${COLLECTOR_BENCH_CLUSTER.name}' on 127.0.0.1:${COLLECTOR_BENCH_CLUSTER.basePort}, stopped at the end
                      only if the bench started it. The shape is created once and reused.
  --moving-commits    Move every group's committed offsets between two scrapes (groups that
                      consume and commit all the time); default: commits stay where set up
  --no-request-count  Skip the untimed pass that counts kafka-otel's requests per API
  --label TEXT        Heading of the report section (e.g. "baseline at commit abc1234")
  --out PATH          Markdown report; its collector section is replaced (default:
                      docs/benchmarks.md)
  --no-build          Use dist/ as it is instead of running \`npm run build\` first

Progress goes to stderr; the result tables to stdout. Exit codes: 0 ok, 1 failure (a failed
run fails the whole bench and writes no report), 2 bad usage, 130 interrupted.
`;

export type Command =
  | { kind: 'help' }
  | { kind: 'client'; options: ClientBenchOptions }
  | { kind: 'collector'; options: CollectorBenchOptions };

function integer(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${flag} must be an integer of at least ${min}, got '${value}'.`);
  }
  return n;
}

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T[] {
  if (value === undefined) return [...allowed];
  const picked = value.split(',').map((v) => v.trim());
  for (const name of picked) {
    if (!allowed.includes(name as T)) {
      throw new UsageError(`--${flag}: unknown '${name}' (choose among ${allowed.join(', ')}).`);
    }
  }
  // In the canonical order, without repeats: the report's tables and rotation rely on it.
  return allowed.filter((name) => picked.includes(name));
}

function brokerList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d+$/.test(b))) {
    throw new UsageError(`--brokers must be host:port[,host:port...], got '${value}'.`);
  }
  return brokers;
}

function clientSelection(value: string | undefined): ClientSelection {
  if (value === undefined) return d.client;
  if (!CLIENT_SELECTIONS.includes(value as ClientSelection)) {
    throw new UsageError(
      `--client: unknown '${value}' (choose among ${CLIENT_SELECTIONS.join(', ')}).`,
    );
  }
  return value as ClientSelection;
}

/** `--variants` among the selected client's variants; another client's variant says which. */
function clientVariants(value: string | undefined, selection: ClientSelection): Variant[] {
  const offered = variantsOf(selection);
  for (const name of value?.split(',').map((v) => v.trim()) ?? []) {
    const variant = VARIANTS.find((v) => v === name);
    if (variant !== undefined && !offered.includes(variant)) {
      throw new UsageError(
        `--variants: '${name}' is a variant of the ${clientOf(variant)} client; add --client ${clientOf(variant)} or --client all.`,
      );
    }
  }
  return oneOf('variants', value, offered);
}

type ParsedValues = Partial<Record<string, string | boolean>>;

function collectorOptions(values: ParsedValues): CollectorBenchOptions {
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  for (const flag of ['size', 'partitions', 'scenarios', 'client', 'cpu-prof-dir']) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is an option of \`client\`.`);
  }
  let shape;
  try {
    shape = parseShape(text('shape') ?? c.shape);
  } catch (error) {
    throw new UsageError(`--shape: ${(error as Error).message}.`);
  }
  const out = text('out');
  return {
    shape,
    rounds: integer('rounds', text('rounds'), c.rounds, 1),
    scrapes: integer('scrapes', text('scrapes'), c.scrapes, 1),
    variants: oneOf('variants', text('variants'), COLLECTOR_VARIANTS),
    gitRef: text('git-ref'),
    brokers: brokerList(text('brokers')),
    messagesPerPartition: integer('messages', text('messages'), c.messagesPerPartition, 1),
    countRequests: values['no-request-count'] !== true,
    movingCommits: values['moving-commits'] === true,
    out: out === undefined ? DEFAULT_REPORT_PATH : path.resolve(out),
    build: values['no-build'] !== true,
    rawDir: COLLECTOR_RAW_DIR,
    label: text('label'),
  };
}

export function parseArgs(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        messages: { type: 'string' },
        rounds: { type: 'string' },
        size: { type: 'string' },
        partitions: { type: 'string' },
        scenarios: { type: 'string' },
        variants: { type: 'string' },
        client: { type: 'string' },
        brokers: { type: 'string' },
        out: { type: 'string' },
        'no-build': { type: 'boolean' },
        'git-ref': { type: 'string' },
        'cpu-prof-dir': { type: 'string' },
        shape: { type: 'string' },
        scrapes: { type: 'string' },
        'no-request-count': { type: 'boolean' },
        'moving-commits': { type: 'boolean' },
        label: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { kind: 'help' };
  const [benchmark, ...extra] = positionals;
  if (benchmark === undefined) throw new UsageError('No benchmark given (client or collector).');
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}'.`);
  if (benchmark === 'collector') return { kind: 'collector', options: collectorOptions(values) };
  if (benchmark !== 'client') throw new UsageError(`Unknown benchmark '${benchmark}'.`);
  for (const flag of ['shape', 'scrapes', 'no-request-count', 'moving-commits', 'label']) {
    if (values[flag as keyof typeof values] !== undefined) {
      throw new UsageError(`--${flag} is an option of \`collector\`.`);
    }
  }
  if (values['no-build'] && values['git-ref'] !== undefined) {
    throw new UsageError('--git-ref builds that commit; it cannot be combined with --no-build.');
  }
  const client = clientSelection(values.client);
  return {
    kind: 'client',
    options: {
      messages: integer('messages', values.messages, d.messages, 1),
      rounds: integer('rounds', values.rounds, d.rounds, 1),
      messageBytes: integer('size', values.size, d.messageBytes, 0),
      partitions: integer('partitions', values.partitions, d.partitions, 1),
      sendSize: d.sendSize,
      scenarios: oneOf('scenarios', values.scenarios, SCENARIOS),
      client,
      variants: clientVariants(values.variants, client),
      brokers: brokerList(values.brokers),
      out: values.out === undefined ? DEFAULT_REPORT_PATH : path.resolve(values.out),
      build: !values['no-build'],
      gitRef: values['git-ref'],
      cpuProfileDir:
        values['cpu-prof-dir'] === undefined ? undefined : path.resolve(values['cpu-prof-dir']),
    },
  };
}
