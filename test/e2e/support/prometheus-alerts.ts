/**
 * The alerts a real Prometheus holds (`GET /api/v1/alerts`), and a watch that times how long
 * chosen alerts take to go firing after a fault, or to go away after the recovery. Prometheus
 * lists pending and firing alerts only: a resolved alert leaves the list.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PromAlert {
  /** The series' labels plus `alertname` and the rule's own labels (`severity`). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  /** The value of the rule's expression at its last evaluation. */
  value: number;
}

interface AlertsAnswer {
  status: string;
  error?: string;
  data?: {
    alerts: Array<{
      labels: Record<string, string>;
      annotations: Record<string, string>;
      state: string;
      value: string;
    }>;
  };
}

/** Every pending or firing alert of every rule Prometheus evaluates. */
export async function promAlerts(prometheusUrl: string): Promise<PromAlert[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/alerts`, {
    signal: AbortSignal.timeout(10_000),
  });
  const answer = (await response.json()) as AlertsAnswer;
  if (answer.status !== 'success' || !answer.data) {
    throw new Error(`Prometheus answered /api/v1/alerts with ${answer.error ?? response.status}`);
  }
  return answer.data.alerts.map((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    state: a.state as PromAlert['state'],
    value: Number(a.value),
  }));
}

/** The labels that pick one alert out of everything the shared Prometheus holds. */
export type AlertSelector = Record<string, string>;

export function matchesSelector(alert: PromAlert, selector: AlertSelector): boolean {
  return Object.entries(selector).every(([name, value]) => alert.labels[name] === value);
}

/** `Name{label="value", ...}` of a selector, for messages and the timing lines. */
export function describeSelector(selector: AlertSelector): string {
  const { alertname, ...rest } = selector;
  const labels = Object.entries(rest).map(([name, value]) => `${name}="${value}"`);
  return `${alertname ?? ''}{${labels.join(', ')}}`;
}

/** One line per alert: its state, labels (severity left out) and value. */
export function describeAlerts(alerts: readonly PromAlert[]): string {
  if (alerts.length === 0) return '  (none)';
  return alerts
    .map((alert) => {
      const { severity: _severity, ...labels } = alert.labels;
      return `  ${alert.state} ${describeSelector(labels)} = ${alert.value}`;
    })
    .join('\n');
}

export type AlertGoal = 'firing' | 'resolved';

function reached(alerts: readonly PromAlert[], selector: AlertSelector, goal: AlertGoal): boolean {
  const matching = alerts.filter((alert) => matchesSelector(alert, selector));
  return goal === 'firing'
    ? matching.some((alert) => alert.state === 'firing')
    : matching.length === 0;
}

/**
 * Polls the alerts until every selector has reached the goal (firing, or gone from the list)
 * and returns, per selector in order, the milliseconds from `since` to the first poll that saw
 * it there. Gives up when `signal` aborts: the error then names the selectors still waiting and
 * lists the alerts `context` selects (the test's own job, say) as Prometheus holds them.
 */
export async function timeAlerts(
  prometheusUrl: string,
  selectors: readonly AlertSelector[],
  goal: AlertGoal,
  options: { since: number; context: AlertSelector; signal: AbortSignal },
): Promise<number[]> {
  const elapsed: Array<number | undefined> = selectors.map(() => undefined);
  let alerts: PromAlert[] = [];
  let lastError: unknown;
  for (;;) {
    try {
      alerts = await promAlerts(prometheusUrl);
      const now = Date.now();
      selectors.forEach((selector, i) => {
        if (elapsed[i] === undefined && reached(alerts, selector, goal)) {
          elapsed[i] = now - options.since;
        }
      });
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (elapsed.every((ms) => ms !== undefined)) return elapsed;
    if (options.signal.aborted) {
      const waiting = selectors.filter((_, i) => elapsed[i] === undefined).map(describeSelector);
      const held = alerts.filter((alert) => matchesSelector(alert, options.context));
      const why = lastError instanceof Error ? ` (last request failed: ${lastError.message})` : '';
      const reason = (options.signal.reason as Error | undefined)?.message ?? 'aborted';
      throw new Error(
        `Gave up (${reason}) waiting for ${waiting.join(', ')} to be ${goal}${why}. ` +
          `Alerts of ${describeSelector(options.context)} in Prometheus:\n${describeAlerts(held)}`,
      );
    }
    await sleep(250);
  }
}

/**
 * Times `selectors` reaching `goal` while `action` runs (a fault or a recovery): the clock
 * starts with the action, and polling goes on up to `boundMs` after it ended. The alerts may
 * get there before the action returns (a stop that takes seconds), which a watch started only
 * afterwards could not tell.
 */
export async function timeAlertsAround(
  prometheusUrl: string,
  selectors: readonly AlertSelector[],
  goal: AlertGoal,
  options: { context: AlertSelector; boundMs: number; action: () => Promise<unknown> },
): Promise<{ actionMs: number; elapsedMs: number[] }> {
  const since = Date.now();
  const giveUp = new AbortController();
  const watch = timeAlerts(prometheusUrl, selectors, goal, {
    since,
    context: options.context,
    signal: giveUp.signal,
  });
  // Settled by the caller below in every path; this only keeps an early rejection handled.
  watch.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await options.action();
    const actionMs = Date.now() - since;
    timer = setTimeout(
      () => giveUp.abort(new Error(`${options.boundMs} ms after the action ended`)),
      options.boundMs,
    );
    return { actionMs, elapsedMs: await watch };
  } catch (error) {
    giveUp.abort(new Error('the action failed'));
    await watch.catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
