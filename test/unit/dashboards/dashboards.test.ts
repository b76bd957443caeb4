/**
 * The shipped Grafana dashboards: the files are what scripts/dashboards renders (regenerate with
 * `npm run dashboards`); every panel has a unit, a description and queries; the layout fits
 * Grafana's 24-column grid without overlaps; every variable a query uses is defined; every
 * metric and label a query names exists in the metric catalogue (a renamed metric or label
 * fails here, not in front of an empty panel); and promtool parses every query.
 * That each query returns data from a real pipeline is the e2e suite's part.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardFiles, DASHBOARDS, DASHBOARDS_DIR } from '../../../scripts/dashboards/dashboards';
import { GRID_COLUMNS, type GridPos } from '../../../scripts/dashboards/grafana-json';
import {
  shippedQueries,
  substituteVariables,
  variablesUsed,
  type ShippedQuery,
} from '../../../scripts/dashboards/panel-queries';
import { metricCatalogue } from '../../../scripts/metrics-doc/metric-catalogue';
import { prometheusName } from '../../../scripts/metrics-doc/metrics-markdown';
import { ensurePrometheus } from '../../../scripts/otel-stack/prometheus-install';

const execFileAsync = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');

interface PanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  fieldConfig?: { defaults: { unit?: string } };
  targets?: Array<{ refId: string; expr: string; legendFormat: string }>;
}
interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating: { list: Array<{ name: string; type: string; definition?: string }> };
}

const SHIPPED: DashboardJson[] = DASHBOARDS.map(
  (d) =>
    JSON.parse(readFileSync(join(ROOT, DASHBOARDS_DIR, `${d.file}.json`), 'utf8')) as DashboardJson,
);
const QUERIES: ShippedQuery[] = SHIPPED.flatMap((d) => shippedQueries(d));

/** Labels every series has in Prometheus, whatever the metric: the scrape's and histograms'. */
const TARGET_LABELS = ['job', 'instance'];

/**
 * Series from @opentelemetry/instrumentation-runtime-node (on in kafka-otel/register), which
 * the clients dashboard shows next to Kafka's: its names and labels, as that package defines them.
 */
const RUNTIME_METRICS: Record<string, { labels: string[]; histogram: boolean }> = {
  nodejs_eventloop_delay_p50: { labels: [], histogram: false },
  nodejs_eventloop_delay_p99: { labels: [], histogram: false },
  nodejs_eventloop_utilization: { labels: [], histogram: false },
  v8js_gc_duration: { labels: ['v8js_gc_type'], histogram: true },
  v8js_memory_heap_used: { labels: ['v8js_heap_space_name'], histogram: false },
  v8js_memory_heap_space_size: { labels: ['v8js_heap_space_name'], histogram: false },
};

/** Prometheus series name → the labels its points can carry (histograms under each suffix). */
function knownSeries(): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>();
  const add = (name: string, labels: string[], histogram: boolean): void => {
    const carried = (extra: string[]) => new Set([...labels, ...extra, ...TARGET_LABELS]);
    if (!histogram) {
      known.set(name, carried([]));
      return;
    }
    known.set(`${name}_bucket`, carried(['le']));
    known.set(`${name}_sum`, carried([]));
    known.set(`${name}_count`, carried([]));
  };
  for (const entry of metricCatalogue().flatMap((s) => s.topics.flatMap((t) => t.entries))) {
    const labels = entry.attributes.map((a) =>
      (typeof a === 'string' ? a : a.key).replace(/\W/g, '_'),
    );
    add(prometheusName(entry), labels, entry.instrument === 'histogram');
  }
  for (const [name, { labels, histogram }] of Object.entries(RUNTIME_METRICS)) {
    add(name, labels, histogram);
  }
  return known;
}

/** `metric{label op "value", ...}` selectors of a query: the metric and the labels matched. */
function selectors(expr: string): Array<{ metric: string; labels: string[] }> {
  return [...expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\{([^}]*)\}/g)].map((m) => ({
    metric: m[1] ?? '',
    labels: [...(m[2] ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1] ?? ''),
  }));
}

/** Labels a query groups or joins by: `by (...)`, `on (...)`, `group by (...)`. */
function groupingLabels(expr: string): string[] {
  return [...expr.matchAll(/\b(?:by|on)\s*\(([^)]*)\)/g)].flatMap((m) =>
    (m[1] ?? '')
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

const where = (query: ShippedQuery): string =>
  `${query.dashboard} / ${query.panel} / ${query.refId}`;

describe('Grafana dashboards', () => {
  let tempDir: string | undefined;
  afterAll(() => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  it('are the files npm run dashboards renders', () => {
    for (const [file, expected] of dashboardFiles()) {
      const actual = readFileSync(join(ROOT, file), 'utf8');
      expect(actual, `${file} is out of date: npm run dashboards`).toBe(expected);
    }
  });

  it('have four dashboards with stable uids, each panel with a unit, a description and queries', () => {
    expect(SHIPPED.map((d) => d.uid)).toEqual([
      'kafka-otel-clients',
      'kafka-otel-consumer-groups',
      'kafka-otel-cluster-health',
      'kafka-otel-connect',
    ]);
    for (const dashboard of SHIPPED) {
      const panels = dashboard.panels.filter((p) => p.type !== 'row');
      expect(panels.length, dashboard.title).toBeGreaterThanOrEqual(10);
      for (const panel of panels) {
        const at = `${dashboard.title} / ${panel.title}`;
        expect(panel.fieldConfig?.defaults.unit, at).toMatch(/\S/);
        expect(panel.description, at).toMatch(/\S{3}/);
        expect(panel.targets?.length, at).toBeGreaterThan(0);
      }
      const ids = dashboard.panels.map((p) => p.id);
      expect(new Set(ids).size, `${dashboard.title}: panel ids`).toBe(ids.length);
    }
  });

  it('fit the 24-column grid with no two panels overlapping', () => {
    for (const dashboard of SHIPPED) {
      const boxes = dashboard.panels.map((p) => ({ title: p.title, ...p.gridPos }));
      for (const box of boxes) {
        expect(box.x + box.w, `${dashboard.title} / ${box.title}`).toBeLessThanOrEqual(
          GRID_COLUMNS,
        );
      }
      const overlapping = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
          .map((b) => `${a.title} / ${b.title}`),
      );
      expect(overlapping, dashboard.title).toEqual([]);
    }
  });

  it('use only variables they define, and read every variable from a known series', () => {
    const known = knownSeries();
    for (const dashboard of SHIPPED) {
      const defined = new Set(dashboard.templating.list.map((v) => v.name));
      expect(defined.has('datasource'), dashboard.title).toBe(true);
      for (const query of shippedQueries(dashboard)) {
        const undefinedVars = variablesUsed(query.expr).filter((name) => !defined.has(name));
        expect(undefinedVars, where(query)).toEqual([]);
      }
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'query')) {
        const definition = variable.definition ?? '';
        const [, selector = '', label = ''] =
          /^label_values\((.*), (\w+)\)$/.exec(definition) ?? [];
        const named = /^\{__name__=~"([^"]+)"/.exec(selector)?.[1];
        const metrics = named
          ? [...known.keys()].filter((name) => new RegExp(`^(?:${named})$`).test(name))
          : [/^\w+/.exec(selector)?.[0] ?? ''];
        expect(metrics.length, `${dashboard.title} $${variable.name}`).toBeGreaterThan(0);
        for (const metric of metrics) {
          expect(
            known.get(metric)?.has(label),
            `${dashboard.title} $${variable.name}: ${metric} has ${label}`,
          ).toBe(true);
        }
      }
    }
  });

  it('name only metrics of the catalogue, with labels those metrics carry', () => {
    const known = knownSeries();
    const problems: string[] = [];
    for (const query of QUERIES) {
      const found = selectors(query.expr);
      if (found.length === 0) problems.push(`${where(query)}: no metric selector`);
      const labelsInQuery = new Set<string>(['le']);
      for (const { metric, labels } of found) {
        const carries = known.get(metric);
        if (!carries) {
          problems.push(`${where(query)}: unknown metric ${metric}`);
          continue;
        }
        carries.forEach((l) => labelsInQuery.add(l));
        for (const label of labels.filter((l) => !carries.has(l))) {
          problems.push(`${where(query)}: ${metric} has no label ${label}`);
        }
      }
      for (const label of groupingLabels(query.expr).filter((l) => !labelsInQuery.has(l))) {
        problems.push(`${where(query)}: groups by ${label}, which none of its metrics has`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('are valid PromQL: promtool parses every query with its variables substituted', async () => {
    const { promtool } = await ensurePrometheus();
    tempDir = mkdtempSync(join(tmpdir(), 'kafka-otel-dashboards-'));
    const file = join(tempDir, 'queries.rules.yml');
    // Recording rules are the one place promtool parses an arbitrary expression offline.
    const rules = QUERIES.map((query, i) => {
      const expr = substituteVariables(
        query.expr,
        { job: '.*', topic: '.*', group: '.*', connector: '.*' },
        { rateInterval: '1m', range: '1h' },
      );
      return `      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(expr)}`;
    });
    writeFileSync(file, `groups:\n  - name: dashboard-queries\n    rules:\n${rules.join('\n')}\n`);
    const verdict = await execFileAsync(promtool, ['check', 'rules', file], {
      timeout: 60_000,
    }).then(
      ({ stdout }) => ({ ok: true, output: stdout }),
      (error: Error & { stdout?: string; stderr?: string }) => ({
        ok: false,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
    expect(verdict.output).toContain(`SUCCESS: ${QUERIES.length} rules found`);
    expect(verdict.ok).toBe(true);
  });
});
