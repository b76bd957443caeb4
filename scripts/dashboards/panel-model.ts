/**
 * What a dashboard is made of, in the terms a reader of Kafka telemetry thinks in: rows of
 * panels, each panel a handful of PromQL queries with a unit. grafana-json.ts turns it into the
 * JSON Grafana imports; the e2e suite runs every query against a real Prometheus.
 */

/** One PromQL query of a panel; `legend` is Grafana's legend format (`{{label}}`). */
export interface PanelQuery {
  expr: string;
  legend: string;
  /**
   * An instant query (the current value per series), for panels that rank or list rather than
   * plot over time.
   */
  instant?: boolean;
}

export type PanelKind = 'timeseries' | 'stat' | 'bargauge' | 'table';

/** Colour steps of a stat or bar gauge: the value from which each colour applies. */
export type Thresholds = readonly { color: 'green' | 'orange' | 'red'; from: number | null }[];

export interface Panel {
  kind: PanelKind;
  title: string;
  /** What the panel shows and how to read it: Grafana shows it on hover. */
  description: string;
  /**
   * A Grafana unit id (`s`, `bytes`, `Bps`, `percentunit`, `short`, `none`) or a custom one
   * (`suffix:msg/s`). Every panel has one: the issue asks for units everywhere.
   */
  unit: string;
  queries: readonly PanelQuery[];
  /** Width in Grafana's 24 columns (default: 12 for plots, 4 for stats). */
  width?: number;
  thresholds?: Thresholds;
  /** Series stacked (counts by kind that add up to a whole). */
  stacked?: boolean;
  /** Integer values only (counts, ids): no decimals on the axis or the stat. */
  integer?: boolean;
}

export interface Row {
  title: string;
  panels: readonly Panel[];
}

/** A template variable whose values come from a label of a series (`label_values`). */
export interface LabelVariable {
  name: string;
  label: string;
  /** The series selector the values are read from, e.g. `kafka_collector_up`. */
  selector: string;
  /** The label whose values are offered. */
  labelName: string;
  /** Offers "All" (as the regex `.*`) and several values at once. Default true. */
  multi?: boolean;
}

export interface Dashboard {
  /** Stable uid: links and provisioning refer to it. */
  uid: string;
  /** File name in dashboards/, without `.json`. */
  file: string;
  title: string;
  description: string;
  variables: readonly LabelVariable[];
  rows: readonly Row[];
}

/** Shorthands for the panels the dashboards use most, so their definitions read as a list. */
export const plot = (
  title: string,
  unit: string,
  description: string,
  queries: readonly PanelQuery[],
  options: Partial<Panel> = {},
): Panel => ({ kind: 'timeseries', title, unit, description, queries, ...options });

export const stat = (
  title: string,
  unit: string,
  description: string,
  queries: readonly PanelQuery[],
  options: Partial<Panel> = {},
): Panel => ({ kind: 'stat', title, unit, description, queries, width: 4, ...options });

export const q = (expr: string, legend: string): PanelQuery => ({ expr, legend });

export const instant = (expr: string, legend: string): PanelQuery => ({
  expr,
  legend,
  instant: true,
});

/** Green at 0, red from 1: counts of broken things (offline partitions, failed groups). */
export const ZERO_IS_HEALTHY: Thresholds = [
  { color: 'green', from: null },
  { color: 'red', from: 1 },
];

/** Red at 0, green from 1: the collector's `up`. */
export const ONE_IS_HEALTHY: Thresholds = [
  { color: 'red', from: null },
  { color: 'green', from: 1 },
];
