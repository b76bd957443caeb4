/**
 * The client benchmark's report, in Markdown: one table per scenario, the method, the machine
 * and versions, and every run's raw figures in a collapsed appendix.
 */
import type { ClientBenchOptions } from './client-bench-options';
import type { MachineInfo } from '../environment';
import { DISTURBED_RUN_CORES } from '../machine-load';
import { fixed, integer, mib, reportBody, table } from '../markdown-format';
import { median } from '../statistics';
import { CONTRIB_PACKAGE, type VersionInfo } from './client-versions';
import type { Scenario, Variant } from './run-contract';
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
};

const SCENARIO_DESCRIPTIONS: Record<Scenario, string> = {
  produce: 'sequential `producer.send` calls',
  eachMessage: 'a consumer with an `eachMessage` handler',
  eachBatch: 'a consumer with an `eachBatch` handler',
};

const ratio = (value: number | undefined): string =>
  value === undefined ? '—' : `${value.toFixed(2)}×`;

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
  return options.scenarios
    .map((scenario) => {
      const summaries = summarizeScenario(scenario, options.variants, records);
      return `### \`${scenario}\`: ${SCENARIO_DESCRIPTIONS[scenario]}\n\n${summaryTable(summaries)}`;
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
  return [
    '### Method',
    '',
    `- ${integer.format(o.messages)} messages of ${kb} per run: one fixed pseudo-random value (the same bytes in every run) and distinct string keys (\`key-<n>\`, spread by KafkaJS's default partitioner), no compression, on topics of ${o.partitions} partitions, against the ${report.kafkaDescription}.`,
    '- Variants, each with its instrumentation in its default configuration:',
    ...o.variants.map((v) => `  - \`${v}\`: ${VARIANT_DESCRIPTIONS[v]}.`),
    `- Every run is a fresh \`node --expose-gc\` process, without any loader (the bench compiles the child's TypeScript to JavaScript first), that registers the instrumentation before it requires \`kafkajs\`. kafka-otel is loaded from its build (\`dist/cjs\`${builtFrom}), copied once at the start so that every round runs the same build.`,
    `- ${o.rounds} round(s) per scenario; each round runs every variant once, in an order rotated by one place per round (round 1: ${o.variants.join(', ')}; round 2 starts with the second, ...). Scenarios run one after the other.`,
    `- \`produce\`: an idempotent producer (acks=all) sends ${o.sendSize} messages per \`send\` call, each call awaited before the next, to a new topic per run. The window runs from before the first \`send\` to the last acknowledgement. Checked: the topic holds exactly ${integer.format(o.messages)} records.`,
    `- \`eachMessage\` / \`eachBatch\`: the bench fills one topic once, with a plain producer, and every run reads it from the beginning in a new consumer group (KafkaJS defaults otherwise). The \`eachBatch\` handler resolves each message's offset and heartbeats once per batch. The window runs from the first delivered message to the last, so connecting and the group join are left out. Checked: exactly ${integer.format(o.messages)} distinct (partition, offset) pairs arrive, with no duplicate.`,
    `- kafka-otel variants also check their own telemetry: at the end the child collects its MeterProvider, and \`messaging.client.sent.messages\` (produce) or \`messaging.client.consumed.messages\` (consume) must total exactly ${integer.format(o.messages)}; \`traces\` and \`contrib\` must have exported spans. A failed check fails the whole bench, and no report is written.`,
    '- Throughput is messages divided by the window. CPU is the child\'s `process.cpuUsage()` (user + system) over the window, divided by the messages. "Heap after GC" is `heapUsed` after two forced full collections at the end of the window, with the clients still connected; peak RSS is the child\'s maximum resident set up to then.',
    '- "vs bare" is the median over rounds of the variant\'s throughput divided by `bare`\'s throughput in the same round; "vs contrib" likewise against `contrib`; "extra CPU" and "heap Δ" are medians of same-round differences. The range is the lowest and highest throughput of the variant\'s runs.',
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
    `- kafka-otel ${code.packageVersion} at commit \`${code.commit}\`, ${tree}.`,
    `- Run from ${report.startedAt.toISOString()} to ${report.finishedAt.toISOString()}.`,
  ].join('\n');
}

/** The whole client section of docs/benchmarks.md. */
export function renderClientReport(report: ClientBenchReport): string {
  const o = report.options;
  return [
    '## Client instrumentation: `npm run bench -- client`',
    '',
    'What instrumenting KafkaJS costs an application: throughput, CPU and memory of a producer ' +
      'and of two kinds of consumer, bare and under each instrumentation, measured in separate ' +
      'processes taking turns on the same machine and broker. The tables give medians over ' +
      `${o.rounds} round(s) of ${integer.format(o.messages)} messages; ratios and differences ` +
      'compare each run with the `bare` (or `contrib`) run of the same round.',
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
