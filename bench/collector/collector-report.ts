/**
 * The collector benchmark's report, in Markdown: the results per variant, kafka-otel against
 * the kafkametrics receiver, the issue's targets, the requests per snapshot, the method, the
 * machine and versions, and every run's raw figures in a collapsed appendix.
 */
import { DISTURBED_RUN_CORES } from '../machine-load';
import { fixed, integer, mib, MIB, reportBody, table } from '../markdown-format';
import { median, type Spread } from '../statistics';
import { formatShape } from './cluster-shape';
import type { CollectorBenchReport } from './collector-bench';
import { TARGETS } from './collector-bench-options';
import {
  roundRatio,
  runPeakRss,
  runSeries,
  runSnapshotMs,
  summarizeVariant,
  type CollectorVariantSummary,
} from './collector-statistics';
import { KAFKAMETRICS_VARIANT, type CollectorRunRecord } from './run-record';

const seconds = (s: Spread | undefined): string =>
  s === undefined
    ? '—'
    : `${fixed(s.median / 1000, 2)} [${fixed(s.min / 1000, 2)}–${fixed(s.max / 1000, 2)}]`;
const mebibytes = (s: Spread | undefined): string =>
  s === undefined ? '—' : `${mib(s.median)} [${mib(s.min)}–${mib(s.max)}]`;
const count = (s: Spread | undefined): string =>
  s === undefined
    ? '—'
    : s.min === s.max
      ? integer.format(s.median)
      : `${integer.format(s.median)} [${integer.format(s.min)}–${integer.format(s.max)}]`;
const ratio = (value: number | undefined): string =>
  value === undefined ? '—' : `${value.toFixed(2)}×`;

function summaries(report: CollectorBenchReport): CollectorVariantSummary[] {
  return report.variants.map((variant) => summarizeVariant(variant, report.records));
}

function resultTable(report: CollectorBenchReport): string {
  return table(
    [
      'variant',
      'snapshot / scrape time (s)',
      'GET /metrics (s)',
      'series exported',
      'peak RSS (MiB)',
      'steady RSS (MiB)',
      'CPU s per scrape',
    ],
    summaries(report).map((s) => [
      `\`${s.variant}\``,
      seconds(s.snapshotMs),
      seconds(s.httpMs),
      count(s.series),
      mebibytes(s.peakRssBytes),
      mebibytes(s.steadyRssBytes),
      s.cpuSecondsPerScrape === undefined ? '—' : fixed(s.cpuSecondsPerScrape.median, 2),
    ]),
  );
}

function ratioTable(report: CollectorBenchReport): string | undefined {
  if (!report.variants.includes(KAFKAMETRICS_VARIANT)) return undefined;
  const ours = report.variants.filter((v) => v !== KAFKAMETRICS_VARIANT);
  if (ours.length === 0) return undefined;
  const r = report.records;
  return table(
    ['variant', 'time vs kafkametrics', 'series vs kafkametrics', 'peak RSS vs kafkametrics'],
    ours.map((v) => [
      `\`${v}\``,
      ratio(roundRatio(r, v, KAFKAMETRICS_VARIANT, runSnapshotMs)),
      ratio(roundRatio(r, v, KAFKAMETRICS_VARIANT, runSeries)),
      ratio(roundRatio(r, v, KAFKAMETRICS_VARIANT, runPeakRss)),
    ]),
  );
}

function targetTable(report: CollectorBenchReport): string {
  const shape = formatShape(report.options.shape);
  const target = TARGETS.find((t) => t.shape === shape);
  if (!target) {
    return `No target of issue 9 for shape ${shape} (targets: ${TARGETS.map((t) => t.shape).join(', ')}).`;
  }
  const verdict = (ok: boolean | undefined): string =>
    ok === undefined ? '—' : ok ? 'met' : '**not met**';
  const rows = summaries(report)
    .filter((s) => s.variant !== KAFKAMETRICS_VARIANT)
    .flatMap((s) => {
      const time = s.snapshotMs === undefined ? undefined : s.snapshotMs.median / 1000;
      const peak = s.peakRssBytes === undefined ? undefined : s.peakRssBytes.median / MIB;
      return [
        [
          `\`${s.variant}\``,
          `median snapshot <= ${target.snapshotSeconds} s`,
          `${fixed(time, 2)} s`,
          verdict(time === undefined ? undefined : time <= target.snapshotSeconds),
        ],
        [
          `\`${s.variant}\``,
          `peak RSS <= ${target.peakRssMiB} MB`,
          `${fixed(peak, 0)} MiB`,
          verdict(peak === undefined ? undefined : (peak * MIB) / 1e6 <= target.peakRssMiB),
        ],
      ];
    });
  return table(['variant', `target (${shape})`, 'measured (median)', 'verdict'], rows);
}

function requestTable(report: CollectorBenchReport): string | undefined {
  if (report.requestCounts.length === 0) return undefined;
  const apis = [
    ...new Set(report.requestCounts.flatMap((v) => v.counts.flatMap((c) => Object.keys(c.perApi)))),
  ].sort();
  const cell = (values: number[]): string => {
    if (values.length === 0) return '—';
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const middle = median(values) ?? lo;
    return lo === hi ? integer.format(lo) : `${Number(middle.toFixed(1))} [${lo}–${hi}]`;
  };
  const header = [
    'API',
    ...report.requestCounts.flatMap((v) => [`\`${v.variant}\` requests`, 'brokers']),
  ];
  const rows = apis.map((api) => [
    api,
    ...report.requestCounts.flatMap((v) => [
      cell(v.counts.map((c) => c.perApi[api] ?? 0)),
      cell(v.counts.map((c) => c.brokersPerApi[api] ?? 0)),
    ]),
  ]);
  rows.push([
    '**total**',
    ...report.requestCounts.flatMap((v) => [cell(v.counts.map((c) => c.total)), '']),
  ]);
  return table(header, rows);
}

function loadStatement(report: CollectorBenchReport): string {
  const loads = report.records.map((r) => r.otherCores).filter((v): v is number => v !== undefined);
  const shared =
    'The machine was shared: other work ran concurrently, which is why the variants take turns round by round.';
  if (loads.length === 0) return `${shared} The load of other processes could not be read.`;
  const busy = loads.filter((v) => v >= DISTURBED_RUN_CORES).length;
  return (
    `${shared} Other processes (neither the bench, the measured process nor the brokers) used a median of ${fixed(median(loads), 2)} ` +
    `and at most ${fixed(Math.max(...loads), 2)} of the ${report.machine.cores} cores during a run; ` +
    `${busy} of ${loads.length} runs shared the machine with at least ${DISTURBED_RUN_CORES} core of other work.`
  );
}

function methodSection(report: CollectorBenchReport): string {
  const o = report.options;
  const { layout, shapeState } = report;
  const perTopic = layout.topics[0]?.partitions ?? 0;
  const intervals = report.kafkaOtel
    .map((k) => `\`${k.variant}\`: \`--interval ${k.interval}\``)
    .join(', ');
  return [
    '### Method',
    '',
    `- Cluster: the ${report.kafkaDescription}, ${report.brokerCount} broker(s)${report.brokerHeap ? ` with ${report.brokerHeap} heap each` : ''}. Shape \`${formatShape(o.shape)}\`: ${layout.topics.length} topic(s) of ${perTopic === layout.topics.at(-1)?.partitions ? perTopic : `${layout.topics.at(-1)?.partitions ?? 0}–${perTopic}`} partitions, ${integer.format(o.shape.partitions)} partitions at replication factor ${shapeState.replicationFactor}, ${shapeState.messagesPerPartition} records per partition; ${integer.format(layout.groups.length)} consumer groups without members, each with committed offsets on every partition of one topic (${integer.format(layout.groupPartitions)} group-partitions), 1 to ${shapeState.messagesPerPartition} records behind the log end. ${fixed(shapeState.preferredLeaderShare * 100, 0)}% of the partitions were led by their preferred replica. Other topics and groups on the cluster are collected too.`,
    ...(o.movingCommits
      ? [
          `- Moving commits (\`--moving-commits\`): after every scrape of a kafka-otel run (warm-up included), every bench group commits new offsets on all its partitions (\`(group + partition + step) mod ${shapeState.messagesPerPartition}\`, still behind the log end), so each timed snapshot finds all ${integer.format(layout.groupPartitions)} commits changed, as with groups that consume and commit all the time. The commits are made between scrapes, outside the timed snapshots.`,
        ]
      : []),
    `- ${o.rounds} round(s); each runs every variant once in a fresh process, in an order rotated by one place per round (round 1: ${report.variants.join(', ')}).`,
    `- kafka-otel: the built CLI, \`node dist/cjs/cli.js collect --brokers ... --prometheus-port <free port>\` (${intervals}; with \`1s\` the scrapes are spaced so that each takes a fresh snapshot, which the bench checks). After the port answers, one warm-up \`GET /metrics\`, then ${o.scrapes} timed ones, one after the other. Snapshot time: the rise of \`kafka_collector_scrape_duration\`'s sum between consecutive expositions (the collector's own measure of one snapshot); "GET /metrics" is the request's wall time to the last byte, i.e. snapshot plus export. Series: the exposition's sample lines.`,
    `- kafkametrics: the OpenTelemetry Collector ${report.collectorVersion ?? ''} built by \`npm run otel-stack -- build\`, with only the kafkametrics receiver (\`protocol_version: 4.0.0\`, scrapers brokers, topics and consumers, \`collection_interval: 1s\`, so cycles run back to back) and a Prometheus exporter. Scrape time comes from the Collector's own trace spans, printed by its console span exporter: the scraper helper wraps each scraper in a span \`scraper/.../ScrapeMetrics\`, run one after the other, and a cycle runs from the first one's start to the last one's end (the export that follows is not included, as kafka-otel's snapshot time excludes its export). The first cycle is the warm-up; the next ${o.scrapes} are timed. Series: the Prometheus exporter's sample lines after the timed cycles (the spans' \`accepted_metric_points\` is in the raw figures).`,
    "- Memory: peak RSS is VmHWM of the process at the end of its run, steady RSS is VmRSS right after the timed scrapes (both from /proc). CPU per scrape: the process's lifetime CPU divided by its scrapes, warm-up included.",
    '- Figures are the median and [min–max] over every timed scrape of every round (times, series) or over the runs (memory). Ratios are medians over rounds of the same-round ratio of the run medians.',
    "- Requests per snapshot: a separate, untimed run of each kafka-otel build with `bench/collector/request-count-hook.cjs` loaded through `NODE_OPTIONS=--require`, counting calls of the collector's request choke point by API name and broker; the count of each snapshot after a warm-up one.",
  ].join('\n');
}

function environmentSection(report: CollectorBenchReport): string {
  const { machine } = report;
  const codes = report.kafkaOtel.map(({ variant, code }) => {
    const tree =
      code.gitRef !== undefined
        ? `built from the commit's files (\`--git-ref ${code.gitRef}\`)`
        : code.changedFiles.length === 0
          ? 'clean working tree'
          : `working tree with ${code.changedFiles.length} changed file(s), ${code.sourcesChanged ? 'including src/' : 'none under src/'}`;
    return `- \`${variant}\`: kafka-otel ${code.packageVersion} at commit \`${code.commit}\`, ${tree}.`;
  });
  return [
    '### Machine and versions',
    '',
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${fixed(machine.memoryBytes / 1024 ** 3, 1)} GiB RAM, ${machine.os}.`,
    `- Node ${process.version}, Kafka ${report.kafkaVersion}${report.collectorVersion ? `, OpenTelemetry Collector ${report.collectorVersion} (contrib kafkametrics receiver)` : ''}.`,
    ...codes,
    `- Run from ${report.startedAt.toISOString()} to ${report.finishedAt.toISOString()}.`,
  ].join('\n');
}

function rawTable(records: readonly CollectorRunRecord[]): string {
  const list = (values: number[], digits: number, scale = 1): string =>
    values.length === 0 ? '—' : values.map((v) => fixed(v / scale, digits)).join(', ');
  return table(
    [
      'round',
      'order',
      'variant',
      'snapshot (s)',
      'GET (s)',
      'series',
      'points',
      'peak RSS (MiB)',
      'steady RSS (MiB)',
      'CPU (s)',
      'other processes (cores)',
      'note',
    ],
    records.map((r) => [
      String(r.round),
      String(r.position),
      r.variant,
      list(r.result.snapshotMs, 2, 1000),
      list(r.result.httpMs, 2, 1000),
      list(r.result.series, 0),
      r.result.points.length === 0 ? '—' : list(r.result.points, 0),
      mib(r.result.peakRssBytes),
      mib(r.result.steadyRssBytes),
      fixed(r.result.cpuSeconds, 1),
      fixed(r.otherCores, 2),
      r.result.erroredPoints > 0
        ? `${r.result.note}; ${r.result.erroredPoints} errored points`
        : r.result.note,
    ]),
  );
}

/** The tables the CLI prints: results, ratios, targets and requests. */
export function renderSummaryTables(report: CollectorBenchReport): string {
  const parts = [
    `#### Results, shape \`${formatShape(report.options.shape)}\``,
    '',
    resultTable(report),
  ];
  const ratios = ratioTable(report);
  if (ratios)
    parts.push('', '#### kafka-otel against the kafkametrics receiver, same rounds', '', ratios);
  parts.push('', "#### Issue 9's targets", '', targetTable(report));
  const requests = requestTable(report);
  if (requests) {
    parts.push(
      '',
      `#### Requests per snapshot (${report.brokerCount} broker(s), ${integer.format(report.layout.groups.length)} bench groups)`,
      '',
      requests,
    );
  }
  return parts.join('\n');
}

/** The whole collector section of docs/benchmarks.md. */
export function renderCollectorReport(report: CollectorBenchReport): string {
  const o = report.options;
  const title = o.label
    ? `## Cluster collector: ${o.label}`
    : '## Cluster collector: `npm run bench -- collector`';
  return [
    title,
    '',
    `\`npm run bench -- collector --shape ${formatShape(o.shape)} --rounds ${o.rounds} --scrapes ${o.scrapes}${o.movingCommits ? ' --moving-commits' : ''}\`: ` +
      `\`kafka-otel collect\` side by side with the OpenTelemetry Collector's kafkametrics receiver on the same cluster, ` +
      `in separate processes taking turns. Times in seconds, memory in MiB: median [min–max].`,
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
