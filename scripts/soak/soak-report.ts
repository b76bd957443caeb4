/** The soak's printed report: a row per sample, then the summary and the verdict. */
import type { Judgement } from './flatness';
import type { SoakResult } from './soak-run';
import type { Sample } from './soak-sample';
import { CURVES, WARM_UP_SECONDS, type CurveSummary, type SoakVerdict } from './soak-verdict';

const MIB = 1024 * 1024;

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '-' : (bytes / MIB).toFixed(1);
}

function num(value: number | undefined): string {
  return value === undefined ? '-' : String(value);
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => (i === cells.length - 1 ? cell : cell.padStart(widths[i]!)))
    .join('  ');
}

export function renderSampleTable(samples: Sample[]): string {
  const header = [
    't (s)',
    'heap MiB',
    'after GC',
    'RSS MiB',
    'series',
    'steady',
    'err-typed',
    'churn/proc',
    'stale',
    'sent',
    'consumed',
    'errors',
    'spans KiB',
    'note',
  ];
  const rows = samples.map((s) => {
    const notes = [
      ...(s.t < WARM_UP_SECONDS ? ['warm-up'] : []),
      ...(s.brokerDown !== undefined ? [`node ${s.brokerDown} restarting`] : []),
      ...s.problems,
    ];
    const spans = s.otlp['/v1/traces'];
    return [
      String(s.t),
      mib(s.memory?.heapUsed),
      mib(s.heapAfterMajorGc),
      mib(s.memory?.rss),
      num(s.series?.total),
      num(s.series?.steady),
      num(s.series?.errorTyped),
      num(s.series?.churn.perProcess),
      num(s.series?.churn.collectorStale),
      num(s.sent),
      num(s.consumed),
      num(s.errors),
      spans ? (spans.bytes / 1024).toFixed(0) : '0',
      notes.join('; '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [row(header, widths), ...rows.map((r) => row(r, widths))].join('\n');
}

function format(value: number | undefined, unit: 'MiB' | 'series'): string {
  if (value === undefined) return '-';
  return unit === 'MiB' ? mib(value) : String(Math.round(value));
}

function describeJudgement(j: Judgement, unit: 'MiB' | 'series'): string {
  if (j.verdict === 'too short') return `too short (${j.points} samples after the warm-up)`;
  const slope =
    unit === 'MiB' ? `${mib(j.slopePerMinute)} MiB/min` : `${j.slopePerMinute.toFixed(1)}/min`;
  return (
    `${j.verdict}: last-half slope ${slope} (growth ${format(j.growth, unit)}), ` +
    `end ${format(j.end, unit)} vs median ${format(j.baseline, unit)}, tolerance ${format(j.tolerance, unit)}`
  );
}

function curveRow(c: CurveSummary, verdict: SoakVerdict): string[] {
  const { label, unit } = CURVES[c.curve];
  let judged = '';
  if (c.curve === verdict.heapCurve) judged = describeJudgement(verdict.heap, unit);
  if (c.curve === 'seriesSteady') {
    const { from, kind } = verdict.seriesWindow;
    judged = `${describeJudgement(verdict.series, unit)} (judged from t=${from} s, ${kind})`;
  }
  return [
    `${label} (${unit})`,
    format(c.start, unit),
    format(c.peak, unit),
    format(c.end, unit),
    judged,
  ];
}

export function renderSummary(result: SoakResult): string {
  const { verdict, samples, restarts } = result;
  const header = ['curve', `start (${WARM_UP_SECONDS} s)`, 'peak', 'end', 'verdict'];
  const rows = verdict.curves.map((c) => curveRow(c, verdict));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const pad = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const last = samples[samples.length - 1];
  const stale = verdict.staleCollectorSeries;
  const churn = verdict.perProcessChurn;
  const per = (series: number, of: number) => (of > 0 ? (series / of).toFixed(1) : '-');
  const lines = [
    pad(header),
    ...rows.map(pad),
    '',
    `Cluster collector series of deleted topics and groups (stale > 30 s after the delete): ` +
      `${stale.end} at the end, at most ${stale.max}${stale.maxAt !== undefined ? ` (t=${stale.maxAt} s)` : ''}` +
      `${stale.names.length > 0 ? `; names: ${stale.names.join(', ')}` : ''} ` +
      `(of live ones it exported up to ${verdict.liveCollectorChurnMax} in one scrape).`,
    `Per-process series naming churned topics and groups (kept by the SDK, not judged): ${churn.series} at the end: ` +
      `${churn.topicSeries} for ${churn.topics} churned topics (${per(churn.topicSeries, churn.topics)} per topic with its group), ` +
      `${churn.shortGroupSeries} for ${churn.shortGroups} short-lived groups (${per(churn.shortGroupSeries, churn.shortGroups)} per group).`,
  ];
  const changes = Object.entries(verdict.steadyChangeByMetric).sort(
    (a, b) => Math.abs(b[1]) - Math.abs(a[1]),
  );
  lines.push(
    `Steady series that changed after the warm-up: ${
      changes.length === 0
        ? 'none'
        : changes.map(([name, n]) => `${name} ${n > 0 ? '+' : ''}${n}`).join(', ')
    }.`,
  );
  const fresh = result.newSteadySeries;
  if (fresh.length > 0) {
    lines.push(
      `Steady label sets new since the warm-up (${fresh.length}, histograms once each; all in ${result.files.lastScrape}):`,
      ...fresh.slice(0, 20).map((set) => `  ${set}`),
      ...(fresh.length > 20 ? [`  ... and ${fresh.length - 20} more`] : []),
    );
  }
  const byMetric = Object.entries(result.perProcessChurnByMetric).sort((a, b) => b[1] - a[1]);
  if (byMetric.length > 0) {
    const top = byMetric.slice(0, 8).map(([name, n]) => `${name} ${n}`);
    lines.push(`  by metric: ${top.join(', ')}${byMetric.length > 8 ? ', ...' : ''}`);
  }
  lines.push(
    `Broker restarts: ${
      restarts.length === 0
        ? 'none'
        : restarts
            .map(
              (r) =>
                `node ${r.node} at t=${r.t} s (${r.outcome} in ${r.stopSeconds.toFixed(0)} s, up in ${r.startSeconds.toFixed(0)} s)`,
            )
            .join('; ')
    }.`,
  );
  if (last) {
    const spans = last.otlp['/v1/traces'];
    lines.push(
      `Messages: ${num(last.sent)} sent, ${num(last.consumed)} consumed; churn: ${num(last.churn?.topicsDeleted)} topics and ${num(last.churn?.groupsDeleted)} groups deleted; ` +
        `spans exported: ${spans ? `${spans.requests} requests, ${mib(spans.bytes)} MiB` : 'none'}.`,
    );
    const kinds = Object.entries(last.errorsByKind ?? {}).sort((a, b) => b[1] - a[1]);
    lines.push(
      `Errors: ${kinds.length === 0 ? 'none' : kinds.map(([k, n]) => `${k} ${n}`).join(', ')}.`,
    );
  }
  if (result.failure) lines.push(`The run failed: ${result.failure}`);
  if (result.interrupted) lines.push('The run was interrupted: the figures cover only part of it.');
  lines.push(
    `Verdict: heap ${verdict.heap.verdict} (${CURVES[verdict.heapCurve].label}), series ${verdict.series.verdict}` +
      `${stale.end > 0 ? `, ${stale.end} stale collector series` : ''}: ${verdict.flat ? 'FLAT' : 'NOT FLAT'}.`,
  );
  return lines.join('\n');
}
