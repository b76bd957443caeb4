/**
 * Counts the series of one Prometheus exposition (one sample line = one series) and sorts them
 * by what must happen to them when a topic or group is deleted:
 *
 * - the cluster collector's series (`kafka_topic_*`, `kafka_partition_*`, `kafka_consumer_group_*`,
 *   ...) come from its current snapshot, so one naming a topic or group deleted a while ago is
 *   stale: a bug;
 * - the instrumentation's series (`messaging_*`, `kafka_client_*`, `kafka_consumer_*`, ...) are
 *   the process's cumulative counters and histograms, kept by the OpenTelemetry SDK for as long
 *   as the process lives: series naming a deleted topic stay, and grow with topic churn;
 * - series with an error type appear when an operation first fails that way (a broker restart
 *   brings several at once) and are bounded by the kinds of errors; they are counted apart.
 *
 * Churn topics and groups are recognised by their name prefixes (app/stats-protocol.ts).
 */
import http from 'node:http';
import { CHURN_TOPIC_PREFIX, SHORT_GROUP_PREFIX } from './app/stats-protocol';

/**
 * The collector's metric families, as Prometheus names them. The instrumentation's
 * `kafka.consumer.group.join.duration` becomes `kafka_consumer_group_join_duration_*`, which
 * shares a prefix with the collector's `kafka.consumer_group.*`: it is told apart by name.
 */
const COLLECTOR_FAMILY =
  /^kafka_(?:brokers|topic_|partition_|consumer_group_(?!join_duration)|quorum_|broker_|cluster_|collector_)/;
/** A series of failed operations: one per API, broker and error type that occurred. */
const ERROR_LABEL = /[{,]error_type="/;
/** The instrumentation's families; the collector's were matched first. */
const INSTRUMENTATION_FAMILY = /^(?:messaging_|kafka_)/;
const CHURN_NAME = new RegExp(`"((?:${CHURN_TOPIC_PREFIX}|${SHORT_GROUP_PREFIX})[^"]*)"`, 'g');

export type SeriesSource = 'collector' | 'instrumentation' | 'other';

export interface SeriesCounts {
  total: number;
  /** The series that name no churn topic or group and carry no error type. */
  steady: number;
  /**
   * The series that name no churn topic or group but carry an error type: one set per operation,
   * broker and error that happened, so they come in steps when a broker restarts, bounded by
   * the kinds of errors there are.
   */
  errorTyped: number;
  /** The steady series by metric name, to tell what grew. */
  steadyByMetric: Record<string, number>;
  bySource: Record<SeriesSource, number>;
  churn: {
    /** Collector series naming a churn topic or group that exists, or was deleted just now. */
    collectorLive: number;
    /** Collector series naming a churn topic or group deleted longer ago: must be 0. */
    collectorStale: number;
    /** Instrumentation (and other per-process) series naming churn topics or groups. */
    perProcess: number;
    /** Of those, the ones of churn topics (the topic, or its own group). */
    perProcessOfTopics: number;
    /** Distinct churn topics they name. */
    topicsNamed: number;
    /** Of those, the ones of short-lived groups on the stable topic. */
    perProcessOfShortGroups: number;
    /** Distinct short-lived groups they name. */
    shortGroupsNamed: number;
  };
  /** Up to 10 churn names in stale collector series, for the report. */
  staleNames: string[];
}

export function seriesSource(metric: string): SeriesSource {
  if (COLLECTOR_FAMILY.test(metric)) return 'collector';
  return INSTRUMENTATION_FAMILY.test(metric) ? 'instrumentation' : 'other';
}

/** `soak-churn-7` and `soak-churn-7-group` belong to topic cycle 7; `soak-short-3` is its own. */
function churnKey(name: string): { kind: 'topic' | 'short'; key: string } {
  if (name.startsWith(SHORT_GROUP_PREFIX)) return { kind: 'short', key: name };
  return { kind: 'topic', key: name.replace(/-group$/, '') };
}

/** The metric name of a sample line: everything before its labels or its value. */
export function metricName(line: string): string {
  const end = line.search(/[{ ]/);
  return end < 0 ? line : line.slice(0, end);
}

/** The churn topic and group names in a sample line's label values. */
export function churnNames(line: string): string[] {
  return [...line.matchAll(CHURN_NAME)].map((m) => m[1]!);
}

/**
 * Sorts the exposition's series. `current` holds the churn names that exist now or were deleted
 * within the grace window (the app tells which): any other churn name in a collector series is
 * stale.
 */
export function countSeries(exposition: string, current: ReadonlySet<string>): SeriesCounts {
  const counts: SeriesCounts = {
    total: 0,
    steady: 0,
    errorTyped: 0,
    steadyByMetric: {},
    bySource: { collector: 0, instrumentation: 0, other: 0 },
    churn: {
      collectorLive: 0,
      collectorStale: 0,
      perProcess: 0,
      perProcessOfTopics: 0,
      topicsNamed: 0,
      perProcessOfShortGroups: 0,
      shortGroupsNamed: 0,
    },
    staleNames: [],
  };
  const topics = new Set<string>();
  const shortGroups = new Set<string>();
  const stale = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    counts.total += 1;
    const metric = metricName(line);
    const source = seriesSource(metric);
    counts.bySource[source] += 1;
    const names = churnNames(line);
    if (names.length === 0 && ERROR_LABEL.test(line)) {
      counts.errorTyped += 1;
    } else if (names.length === 0) {
      counts.steady += 1;
      counts.steadyByMetric[metric] = (counts.steadyByMetric[metric] ?? 0) + 1;
    } else if (source === 'collector') {
      const gone = names.filter((name) => !current.has(name));
      if (gone.length === 0) counts.churn.collectorLive += 1;
      else {
        counts.churn.collectorStale += 1;
        for (const name of gone) stale.add(name);
      }
    } else {
      counts.churn.perProcess += 1;
      const { kind, key } = churnKey(names[0]!);
      if (kind === 'topic') {
        counts.churn.perProcessOfTopics += 1;
        topics.add(key);
      } else {
        counts.churn.perProcessOfShortGroups += 1;
        shortGroups.add(key);
      }
    }
  }
  counts.churn.topicsNamed = topics.size;
  counts.churn.shortGroupsNamed = shortGroups.size;
  counts.staleNames = [...stale].slice(0, 10);
  return counts;
}

/**
 * The steady series as label sets: the metric without a histogram's `_bucket`/`_sum`/`_count`,
 * its labels without `le` and the scope's, so that one histogram counts once.
 */
export function steadyLabelSets(exposition: string): Set<string> {
  const sets = new Set<string>();
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#') || ERROR_LABEL.test(line)) continue;
    if (churnNames(line).length > 0) continue;
    const metric = metricName(line).replace(/_(?:bucket|sum|count)$/, '');
    const labels = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const kept = labels
      .split(/,(?=[a-z_]+=")/)
      .filter((pair) => pair !== '' && !/^(?:le|otel_scope_[a-z_]+)=/.test(pair));
    sets.add(`${metric}{${kept.join(',')}}`);
  }
  return sets;
}

/** Per-process series naming churn topics or groups, by metric name: what keeps them. */
export function perProcessChurnByMetric(exposition: string): Record<string, number> {
  const byMetric: Record<string, number> = {};
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#') || churnNames(line).length === 0) continue;
    const metric = metricName(line);
    if (seriesSource(metric) === 'collector') continue;
    byMetric[metric] = (byMetric[metric] ?? 0) + 1;
  }
  return byMetric;
}

/**
 * One `GET /metrics` on its own connection (a kept-alive one can be closed by the server just
 * as it is reused). Bounded by `timeoutMs`.
 */
export function scrapeMetrics(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode === 200) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new Error(`GET ${url} answered ${response.statusCode}`));
      });
    });
    request.on('timeout', () =>
      request.destroy(new Error(`GET ${url}: no answer in ${timeoutMs / 1000} s`)),
    );
    request.on('error', reject);
  });
}
