/**
 * The queries of a Grafana dashboard file as Prometheus would run them: read from the shipped
 * JSON (not from the definitions), with Grafana's variables replaced. The unit tests check them
 * with promtool; the e2e suite runs them against a real Prometheus.
 */

export interface ShippedQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  legend: string;
}

interface GrafanaPanel {
  type: string;
  title: string;
  targets?: Array<{ refId: string; expr: string; legendFormat: string }>;
}

/** Every query of every panel of a dashboard file's JSON, in panel order. */
export function shippedQueries(dashboardJson: {
  title: string;
  panels: GrafanaPanel[];
}): ShippedQuery[] {
  return dashboardJson.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      dashboard: dashboardJson.title,
      panel: panel.title,
      refId: target.refId,
      expr: target.expr,
      legend: target.legendFormat,
    })),
  );
}

/** Names of the variables a query uses (`$name` or `${name}`), Grafana's own `$__*` excluded. */
export function variablesUsed(expr: string): string[] {
  return [...expr.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => !name.startsWith('__'));
}

/**
 * The query with every variable replaced as Grafana would: `values` for the dashboard's
 * variables (a regex, since queries match them with =~), and fixed windows for the built-ins.
 */
export function substituteVariables(
  expr: string,
  values: Readonly<Record<string, string>>,
  windows: { rateInterval: string; range: string },
): string {
  return expr
    .replaceAll('$__rate_interval', windows.rateInterval)
    .replaceAll('$__range', windows.range)
    .replace(/\$\{?([A-Za-z_]\w*)\}?/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for the variable $${name} in ${expr}`);
      return value;
    });
}
