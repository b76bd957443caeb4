/**
 * The client benchmark's report, in Markdown: one table per scenario, the method, the machine
 * and versions, and every run's raw figures in a collapsed appendix.
 */
import { CONFLUENT_CLIENT_PACKAGE as CONFLUENT_PACKAGE } from '../../scripts/confluent-client/confluent-client-install';
import type { ClientBenchOptions } from './client-bench-options';
import type { MachineInfo } from '../environment';
import { DISTURBED_RUN_CORES } from '../machine-load';
import { fixed, integer, mib, reportBody, table } from '../markdown-format';
import { median } from '../statistics';
import { CONTRIB_PACKAGE, type VersionInfo } from './client-versions';
import { CONFLUENT_PRODUCER_OPTIONS, CONFLUENT_PRODUCER_PROPERTIES } from './confluent-settings';
import { CLIENTS, clientOf, type Client, type Scenario, type Variant } from './run-contract';
import {
  cpuMicrosPerMessage,
  summarizeScenario,
  throughput,
  type RunRecord,
  type VariantSummary,
} from './statistics';

export interface ClientBenchReport {
  options: ClientBenchOptions;
  records: RunRecord[];
  machine: MachineInfo;
  versions: VersionInfo;
  kafkaDescription: string;
  startedAt: Date;
  finishedAt: Date;
}

const VARIANT_DESCRIPTIONS: Record<Variant, string> = {
  bare: 'plain KafkaJS; the child loads no OpenTelemetry module at all',
  metrics:
    "kafka-otel's `KafkaJsInstrumentation` with a MeterProvider (its reader is collected once, at the end of the run), an AsyncLocalStorage context manager and the W3C trace-context propagator, but no tracer provider (an app with `OTEL_TRACES_EXPORTER=none`)",
  traces:
    'as `metrics`, plus an SDK `TracerProvider` whose `BatchSpanProcessor` feeds an exporter that counts and drops the spans',
  contrib: `\`${CONTRIB_PACKAGE}\` with exactly the SDK set-up of \`traces\` (it records its own messaging metrics too; the bench checks only its spans)`,
  'confluent-bare': `plain \`${CONFLUENT_PACKAGE}\` through its KafkaJS API; the child loads no OpenTelemetry module at all`,
  'confluent-metrics':
    "kafka-otel's `ConfluentKafkaInstrumentation` with the SDK set-up of `metrics` (a MeterProvider, no tracer provider); in its default configuration it turns librdkafka's statistics on every 5 s, which `confluent-bare` does not have",
  'confluent-traces':
    'as `confluent-metrics`, plus the `TracerProvider` of `traces` (a `BatchSpanProcessor` feeding the exporter that counts and drops the spans)',
};

/** How each client's section of a scenario is titled when a report holds both. */
const CLIENT_LABELS: Record<Client, string> = {
  kafkajs: 'KafkaJS',
  confluent: `\`${CONFLUENT_PACKAGE}\` (KafkaJS API), against \`confluent-bare\``,
};

const SCENARIO_DESCRIPTIONS: Record<Scenario, string> = {
  produce: 'sequential `producer.send` calls',
  eachMessage: 'a consumer with an `eachMessage` handler',
  eachBatch: 'a consumer with an `eachBatch` handler',
};

const ratio = (value: number | undefined): string =>
  value === undefined ? '—' : `${value.toFixed(2)}×`;

/** The Confluent client's table: its own baseline, and no contrib instrumentation to compare. */
function confluentSummaryTable(summaries: VariantSummary[]): string {
  return table(
    [
      'variant',
      'msg/s (median)',
      'range (min–max)',
      'vs confluent-bare',
      'CPU µs/msg',
      'extra CPU µs/msg vs confluent-bare',
      'heap after GC (MiB)',
      'heap Δ vs confluent-bare (MiB)',
      'peak RSS (MiB)',
    ],
    summaries.map((s) => [
      `\`${s.variant}\``,
      integer.format(s.throughputMedian),
      `${integer.format(s.throughputMin)}–${integer.format(s.throughputMax)}`,
      ratio(s.ratioToBare),
      fixed(s.cpuMicrosPerMessage, 1),
      fixed(s.extraCpuMicrosPerMessage, 1, true),
      mib(s.heapAfterGcMedianBytes),
      mib(s.heapDeltaToBareBytes, true),
      mib(s.peakRssMedianBytes),
    ]),
  );
}

/** The clients whose variants ran, in the canonical order. */
function clientsOf(variants: readonly Variant[]): Client[] {
  return CLIENTS.filter((client) => variants.some((v) => clientOf(v) === client));
}

function summaryTable(summaries: VariantSummary[]): string {
  return table(
    [
      'variant',
      'msg/s (median)',
      'range (min–max)',
      'vs bare',
      'vs contrib',
      'CPU µs/msg',
      'extra CPU µs/msg vs bare',
      'heap after GC (MiB)',
      'heap Δ vs bare (MiB)',
      'peak RSS (MiB)',
    ],
    summaries.map((s) => [
      `\`${s.variant}\``,
      integer.format(s.throughputMedian),
      `${integer.format(s.throughputMin)}–${integer.format(s.throughputMax)}`,
      ratio(s.ratioToBare),
      ratio(s.ratioToContrib),
      fixed(s.cpuMicrosPerMessage, 1),
      fixed(s.extraCpuMicrosPerMessage, 1, true),
      mib(s.heapAfterGcMedianBytes),
      mib(s.heapDeltaToBareBytes, true),
      mib(s.peakRssMedianBytes),
    ]),
  );
}

/** The per-scenario tables: what the CLI prints and the heart of the report. */
export function renderSummaryTables(report: ClientBenchReport): string {
  const { options, records } = report;
  const clients = clientsOf(options.variants);
  return options.scenarios
    .map((scenario) => {
      const tables = clients.map((client) => {
        const variants = options.variants.filter((v) => clientOf(v) === client);
        const summaries = summarizeScenario(scenario, variants, records);
        const rendered =
          client === 'kafkajs' ? summaryTable(summaries) : confluentSummaryTable(summaries);
        // A lone KafkaJS table stays exactly as the report always had it.
        return clients.length > 1 ? `${CLIENT_LABELS[client]}:\n\n${rendered}` : rendered;
      });
      return `### \`${scenario}\`: ${SCENARIO_DESCRIPTIONS[scenario]}\n\n${tables.join('\n\n')}`;
    })
    .join('\n\n');
}

function rawTable(records: RunRecord[]): string {
  return table(
    [
      'scenario',
      'round',
      'order',
      'variant',
      'messages',
      'window (s)',
      'msg/s',
      'CPU µs/msg',
      'heap after GC (MiB)',
      'peak RSS (MiB)',
      'spans exported',
      'other processes (cores)',
    ],
    records.map((r) => [
      r.scenario,
      String(r.round),
      String(r.position),
      r.variant,
      String(r.result.messages),
      fixed(r.result.windowMs / 1000, 2),
      integer.format(throughput(r.result)),
      fixed(cpuMicrosPerMessage(r.result), 1),
      mib(r.result.heapUsedAfterGcBytes),
      mib(r.result.peakRssBytes),
      r.result.spansExported === undefined ? '—' : String(r.result.spansExported),
      fixed(r.otherCores, 2),
    ]),
  );
}

/** A factual line on how much else the machine was doing while the runs went on. */
function loadStatement(report: ClientBenchReport): string {
  const loads = report.records.map((r) => r.otherCores).filter((v): v is number => v !== undefined);
  if (loads.length === 0) return 'The load of other processes could not be read (no /proc).';
  const busy = loads.filter((v) => v >= DISTURBED_RUN_CORES).length;
  return (
    `Other processes (neither the bench, its child nor the broker) used a median of ${fixed(median(loads), 2)} ` +
    `and at most ${fixed(Math.max(...loads), 2)} of the ${report.machine.cores} cores during a run; ` +
    `${busy} of ${loads.length} runs shared the machine with at least ${DISTURBED_RUN_CORES} core of other work.`
  );
}

function methodSection(report: ClientBenchReport): string {
  const o = report.options;
  const builtFrom =
    o.gitRef === undefined
      ? ''
      : ` built from the files of commit ${report.versions.kafkaOtel.commit}`;
  const kb = o.messageBytes % 1024 === 0 ? `${o.messageBytes / 1024} KiB` : `${o.messageBytes} B`;
  const clients = clientsOf(o.variants);
  const confluent = clients.includes('confluent');
  // A KafkaJS-only report keeps its wording; Confluent runs say what differs for that client.
  const partitioner = confluent
    ? "spread by the key's murmur2 hash: KafkaJS's default partitioner, and the Confluent client's `murmur2_random`, the same hash"
    : "spread by KafkaJS's default partitioner";
  const requires = clients
    .map((client) =>
      client === 'kafkajs'
        ? '`kafkajs`'
        : `\`${CONFLUENT_PACKAGE}\` (from the cached install of \`npm run confluent-client\`, never from node_modules)`,
    )
    .join(' or ');
  const spanVariants = o.variants
    .filter((v) => v === 'traces' || v === 'contrib' || v === 'confluent-traces')
    .map((v) => `\`${v}\``);
  const confluentSettings = Object.entries({
    ...CONFLUENT_PRODUCER_PROPERTIES,
    'kafkaJS.idempotent': CONFLUENT_PRODUCER_OPTIONS.idempotent,
    'kafkaJS.acks': CONFLUENT_PRODUCER_OPTIONS.acks,
  })
    .map(([key, value]) => `\`${key}\`=${String(value)}`)
    .join(', ');
  const consumerDefaults = confluent
    ? "each client's defaults otherwise, auto-commit on in both; the Confluent client takes `fromBeginning` in the consumer's config rather than in `subscribe`"
    : 'KafkaJS defaults otherwise';
  const kafkaJsRatios =
    '"vs bare" is the median over rounds of the variant\'s throughput divided by `bare`\'s throughput in the same round; "vs contrib" likewise against `contrib`';
  const confluentRatios =
    '"vs confluent-bare" is the median over rounds of the variant\'s throughput divided by `confluent-bare`\'s throughput in the same round';
  const ratioDefinition = {
    kafkajs: kafkaJsRatios,
    confluent: confluentRatios,
    all: `${kafkaJsRatios}; ${confluentRatios} (the two clients are never compared by ratio: librdkafka does its I/O on threads of its own)`,
  }[o.client];
  return [
    '### Method',
    '',
    `- ${integer.format(o.messages)} messages of ${kb} per run: one fixed pseudo-random value (the same bytes in every run) and distinct string keys (\`key-<n>\`, ${partitioner}), no compression, on topics of ${o.partitions} partitions, against the ${report.kafkaDescription}.`,
    '- Variants, each with its instrumentation in its default configuration:',
    ...o.variants.map((v) => `  - \`${v}\`: ${VARIANT_DESCRIPTIONS[v]}.`),
    `- Every run is a fresh \`node --expose-gc\` process, without any loader (the bench compiles the child's TypeScript to JavaScript first), that registers the instrumentation before it requires ${confluent ? 'its client, ' : ''}${requires}. kafka-otel is loaded from its build (\`dist/cjs\`${builtFrom}), copied once at the start so that every round runs the same build.`,
    `- ${o.rounds} round(s) per scenario; each round runs every variant once, in an order rotated by one place per round (round 1: ${o.variants.join(', ')}; round 2 starts with the second, ...). Scenarios run one after the other.`,
    `- \`produce\`: an idempotent producer (acks=all) sends ${o.sendSize} messages per \`send\` call, each call awaited before the next, to a new topic per run. The window runs from before the first \`send\` to the last acknowledgement. Checked: the topic holds exactly ${integer.format(o.messages)} records.`,
    ...(confluent
      ? [
          `- Confluent producer, the same in its three variants: ${confluentSettings}. librdkafka batches on a thread of its own after a \`linger.ms\` wait (5 ms by default); with 0 it sends as soon as it finds messages queued, so the awaited sends are a chain of produce calls, requests and delivery reports, as with KafkaJS, rather than mostly waits on that timer, behind which the instrumentation's cost would hide. A \`send\` may then leave in more than one request.`,
        ]
      : []),
    `- \`eachMessage\` / \`eachBatch\`: the bench fills one topic once, with a plain producer, and every run reads it from the beginning in a new consumer group (${consumerDefaults}). The \`eachBatch\` handler resolves each message's offset and heartbeats once per batch. The window runs from the first delivered message to the last, so connecting and the group join are left out. Checked: exactly ${integer.format(o.messages)} distinct (partition, offset) pairs arrive, with no duplicate.`,
    `- kafka-otel variants also check their own telemetry: at the end the child collects its MeterProvider, and \`messaging.client.sent.messages\` (produce) or \`messaging.client.consumed.messages\` (consume) must total exactly ${integer.format(o.messages)}; ${confluent ? spanVariants.join(', ') : '`traces` and `contrib`'} must have exported spans. A failed check fails the whole bench, and no report is written.`,
    '- Throughput is messages divided by the window. CPU is the child\'s `process.cpuUsage()` (user + system) over the window, divided by the messages. "Heap after GC" is `heapUsed` after two forced full collections at the end of the window, with the clients still connected; peak RSS is the child\'s maximum resident set up to then.',
    `- ${ratioDefinition}; "extra CPU" and "heap Δ" are medians of same-round differences${confluent ? ' with the same reference' : ''}. The range is the lowest and highest throughput of the variant's runs.`,
    ...(o.cpuProfileDir
      ? [
          `- CPU profiling was on (profiles in \`${o.cpuProfileDir}\`): every figure includes the profiler's overhead and is not a baseline.`,
        ]
      : []),
  ].join('\n');
}

function environmentSection(report: ClientBenchReport): string {
  const { machine, versions } = report;
  const code = versions.kafkaOtel;
  const tree =
    code.gitRef !== undefined
      ? `built from the commit's files (\`--git-ref ${code.gitRef}\`), whatever the working tree held`
      : code.changedFiles.length === 0
        ? 'clean working tree'
        : `dirty working tree: ${code.changedFiles.length} changed file(s), ${code.sourcesChanged ? 'including src/ (the measured code differs from the commit)' : 'none under src/'}`;
  const otel = Object.entries(versions.openTelemetry)
    .map(([name, version]) => `\`${name}\` ${version}`)
    .join(', ');
  return [
    '### Machine and versions',
    '',
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${fixed(machine.memoryBytes / 1024 ** 3, 1)} GiB RAM, ${machine.os}.`,
    `- Node ${versions.node}, KafkaJS ${versions.kafkajs}, Kafka broker ${versions.kafkaBroker}.`,
    `- OpenTelemetry: ${otel}; \`${CONTRIB_PACKAGE}\` ${versions.contribInstrumentation}.`,
    ...(versions.confluent
      ? [
          `- \`${CONFLUENT_PACKAGE}\` ${versions.confluent.client} with librdkafka ${versions.confluent.librdkafka}, built by \`npm run confluent-client\` (\`CKJS_LINKING=dynamic\`).`,
        ]
      : []),
    `- kafka-otel ${code.packageVersion} at commit \`${code.commit}\`, ${tree}.`,
    `- Run from ${report.startedAt.toISOString()} to ${report.finishedAt.toISOString()}.`,
  ].join('\n');
}

/** The whole client section of docs/benchmarks.md. */
export function renderClientReport(report: ClientBenchReport): string {
  const o = report.options;
  const heading = {
    kafkajs: '## Client instrumentation: `npm run bench -- client`',
    confluent:
      '## Client instrumentation, Confluent client: `npm run bench -- client --client confluent`',
    all: '## Client instrumentation, both clients: `npm run bench -- client --client all`',
  }[o.client];
  const subject = {
    kafkajs: 'KafkaJS',
    confluent: `\`${CONFLUENT_PACKAGE}\` (through its KafkaJS API, on librdkafka)`,
    all: `KafkaJS and \`${CONFLUENT_PACKAGE}\` (through its KafkaJS API, on librdkafka)`,
  }[o.client];
  const reference = {
    kafkajs: 'the `bare` (or `contrib`) run',
    confluent: 'the `confluent-bare` run',
    all: 'the bare run of its own client (`bare` or `confluent-bare`; or `contrib`)',
  }[o.client];
  return [
    heading,
    '',
    `What instrumenting ${subject} costs an application: throughput, CPU and memory of a producer ` +
      'and of two kinds of consumer, bare and under each instrumentation, measured in separate ' +
      'processes taking turns on the same machine and broker. The tables give medians over ' +
      `${o.rounds} round(s) of ${integer.format(o.messages)} messages; ratios and differences ` +
      `compare each run with ${reference} of the same round.`,
    '',
    ...reportBody({
      summary: renderSummaryTables(report),
      noise: loadStatement(report),
      method: methodSection(report),
      environment: environmentSection(report),
      raw: rawTable(report.records),
    }),
  ].join('\n');
}
