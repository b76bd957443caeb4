/**
 * Grafana's dashboard JSON model from a Dashboard: what `Import dashboard` and file
 * provisioning read. Every panel and variable takes its data source from the `datasource`
 * variable, so the files import into any Grafana whatever its Prometheus data source is called.
 */
import type { Dashboard, LabelVariable, Panel, PanelQuery, Row, Thresholds } from './panel-model';

/** The dashboard schema version these files are written in (Grafana 10.x and 11.x read it). */
export const SCHEMA_VERSION = 39;
export const GRID_COLUMNS = 24;

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

type Json = Record<string, unknown>;

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

const HEIGHT: Record<Panel['kind'], number> = { timeseries: 8, bargauge: 8, table: 8, stat: 4 };
const DEFAULT_WIDTH: Record<Panel['kind'], number> = {
  timeseries: 12,
  bargauge: 12,
  table: 12,
  stat: 4,
};

function variableJson(variable: LabelVariable): Json {
  const definition = `label_values(${variable.selector}, ${variable.labelName})`;
  const multi = variable.multi ?? true;
  return {
    name: variable.name,
    label: variable.label,
    type: 'query',
    datasource: DATASOURCE,
    definition,
    query: { query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery', qryType: 1 },
    // 2: refreshed when the time range changes, so new topics and groups appear.
    refresh: 2,
    sort: 1,
    multi,
    includeAll: multi,
    // The queries match with =~, so "All" is the regex of any value.
    ...(multi ? { allValue: '.*' } : {}),
    current: {},
    options: [],
    hide: 0,
    regex: '',
  };
}

function thresholdsJson(thresholds: Thresholds | undefined): Json {
  const steps = thresholds ?? [{ color: 'green', from: null }];
  return { mode: 'absolute', steps: steps.map((s) => ({ color: s.color, value: s.from })) };
}

/**
 * An instant query of a table is one row per series (labels as columns, `format: table`);
 * elsewhere one frame per series.
 */
function targetJson(panel: Panel, query: PanelQuery, index: number): Json {
  const format = panel.kind === 'table' ? 'table' : 'time_series';
  return {
    refId: String.fromCharCode(65 + index),
    datasource: DATASOURCE,
    expr: query.expr,
    legendFormat: query.legend,
    range: !query.instant,
    instant: query.instant === true,
    ...(query.instant ? { format } : {}),
  };
}

function optionsJson(panel: Panel): Json {
  const lastValue = { calcs: ['lastNotNull'], fields: '', values: false };
  switch (panel.kind) {
    case 'timeseries':
      return {
        legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'stat':
      return {
        reduceOptions: lastValue,
        colorMode: 'value',
        graphMode: 'area',
        justifyMode: 'auto',
        textMode: 'auto',
        orientation: 'auto',
      };
    case 'bargauge':
      return {
        reduceOptions: lastValue,
        displayMode: 'gradient',
        orientation: 'horizontal',
        showUnfilled: true,
      };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false } };
  }
}

function fieldDefaults(panel: Panel): Json {
  return {
    unit: panel.unit,
    ...(panel.integer ? { decimals: 0 } : {}),
    thresholds: thresholdsJson(panel.thresholds),
    color: { mode: panel.kind === 'timeseries' ? 'palette-classic' : 'thresholds' },
    ...(panel.kind === 'timeseries'
      ? {
          custom: {
            drawStyle: 'line',
            lineWidth: 1,
            fillOpacity: panel.stacked ? 30 : 10,
            showPoints: 'never',
            spanNulls: false,
            stacking: { mode: panel.stacked ? 'normal' : 'none', group: 'A' },
          },
        }
      : {}),
  };
}

function panelJson(panel: Panel, id: number, gridPos: GridPos): Json {
  return {
    id,
    type: panel.kind,
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults: fieldDefaults(panel), overrides: [] },
    options: optionsJson(panel),
    targets: panel.queries.map((query, index) => targetJson(panel, query, index)),
    // A table lists the current series: the sample's timestamp is noise there.
    ...(panel.kind === 'table'
      ? { transformations: [{ id: 'organize', options: { excludeByName: { Time: true } } }] }
      : {}),
  };
}

/**
 * Rows stacked top to bottom; in a row, panels flow left to right and wrap at 24 columns, so a
 * definition never states coordinates and panels can never overlap.
 */
function layout(rows: readonly Row[]): Json[] {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({
      id: id++,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const panel of row.panels) {
      const w = panel.width ?? DEFAULT_WIDTH[panel.kind];
      const h = HEIGHT[panel.kind];
      if (x + w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panels.push(panelJson(panel, id++, { h, w, x, y }));
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return panels;
}

export function grafanaDashboardJson(dashboard: Dashboard): Json {
  return {
    uid: dashboard.uid,
    title: dashboard.title,
    description: dashboard.description,
    tags: ['kafka', 'kafka-otel', 'opentelemetry'],
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: true,
    graphTooltip: 1,
    timezone: 'browser',
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    links: [
      {
        type: 'dashboards',
        title: 'kafka-otel',
        tags: ['kafka-otel'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          regex: '',
        },
        ...dashboard.variables.map(variableJson),
      ],
    },
    annotations: { list: [] },
    panels: layout(dashboard.rows),
  };
}

/** The file as written: two-space JSON with a final newline, so diffs stay readable. */
export function grafanaDashboardFile(dashboard: Dashboard): string {
  return `${JSON.stringify(grafanaDashboardJson(dashboard), null, 2)}\n`;
}
