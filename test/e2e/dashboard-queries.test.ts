/**
 * Issue 12: every query of every panel of the shipped Grafana dashboards returns data from the
 * real Prometheus, under load from the live demo (`npm run demo -- --live`, its services
 * exporting OTLP through the Collector running otel-collector.yaml, its cluster collector
 * scraped as kafka-otel-collect).
 *
 * The demo watches the e2e cluster's Kafka Connect worker (started here: the demo creates its
 * connectors on it, one of them feeding a dead letter queue) and the broker's JMX (the global
 * setup runs the cluster with its Jolokia agent), as it does with its own Kafka.
 *
 * Some panels exist for faults, so the test makes them happen, as a user of the demo would:
 * through the demo's commands a consumer crash, a send the broker refuses, a request that
 * times out and a connector whose task fails; and two more `kafka-otel collect` processes, one
 * whose series limit is too low (dropped series) and one whose cluster, Connect worker and
 * broker agent are unreachable (scrape errors).
 *
 * The queries are read from the JSON files in dashboards/, variables substituted as Grafana
 * would with "All" selected.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DASHBOARDS, DASHBOARDS_DIR } from '../../scripts/dashboards/dashboards';
import { KAFKA_CLIENTS } from '../../scripts/dashboards/kafka-clients';
import {
  shippedQueries,
  substituteVariables,
  type ShippedQuery,
} from '../../scripts/dashboards/panel-queries';
import { startConnect } from '../../scripts/local-kafka';
import { freeSidePort, setScrapeTargets } from '../../scripts/otel-stack';
import { REPO_ROOT } from '../support/built-package';
import { promQuery, promTargets } from '../support/otel-stack-queries';
import '../support/otel-stack-context';
import { waitFor } from '../support/wait-for';
import { startProcess, stopAll, type TestProcess } from './support/child-process';
import { startCollectExporter } from './support/collect-process';
import { describeAlerts, promAlerts } from './support/prometheus-alerts';

const stack = inject('otelStack');
const brokers = inject('kafkaBrokers');
const cluster = inject('localKafkaCluster');
const jolokiaUrls = inject('jolokiaUrls');

const QUERIES: ShippedQuery[] = DASHBOARDS.flatMap((dashboard) =>
  shippedQueries(
    JSON.parse(
      readFileSync(path.join(REPO_ROOT, DASHBOARDS_DIR, `${dashboard.file}.json`), 'utf8'),
    ) as Parameters<typeof shippedQueries>[0],
  ),
);

/**
 * The demo's own jobs for `$job` (its two services; its cluster collector and this file's two
 * more), so no other test file's series in the same Prometheus can answer for a panel; "All"
 * (`.*`) for topic, group and connector. Grafana's rate interval at a 1 s scrape is at least 4
 * scrapes.
 */
const DEMO_SERVICES = 'payments-api|settlement';
const COLLECTOR_JOBS =
  'kafka-otel-collect|kafka-otel-collect-limited|kafka-otel-collect-unreachable';
const promql = (query: ShippedQuery): string =>
  substituteVariables(
    query.expr,
    {
      job: query.dashboard === KAFKA_CLIENTS.title ? DEMO_SERVICES : COLLECTOR_JOBS,
      topic: '.*',
      group: '.*',
      connector: '.*',
    },
    { rateInterval: '30s', range: '15m' },
  );

describe('the dashboards on the live demo', () => {
  const processes: TestProcess[] = [];
  let demo: TestProcess;

  /** Sends one command line to the demo, as a user types it. */
  const command = (line: string): void => {
    demo.child.stdin?.write(`${line}\n`);
  };

  beforeAll(async () => {
    if (!cluster) throw new Error('the e2e suite runs on its own local cluster (no KAFKA_BROKERS)');
    // Idempotent; the global teardown's stopCluster stops the worker with the cluster.
    const connect = await startConnect({ cluster });
    demo = startProcess(
      'live demo',
      [
        '--import',
        'tsx',
        'examples/demo/main.ts',
        '--live',
        '--stack',
        stack.name,
        '--rate',
        '20',
        '--log-file',
        '-',
      ],
      {
        KAFKA_BROKERS: brokers.join(','),
        // The variables the launcher prints, as a user of the demo passes them on.
        KAFKA_CONNECT_URL: connect.url,
        KAFKA_CONNECT_JOLOKIA_URL: connect.jolokiaUrl,
        KAFKA_JOLOKIA_URLS: jolokiaUrls.join(','),
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        // The child's environment drops KAFKA_OTEL_*; the stack's binaries are found through it.
        ...(process.env.KAFKA_OTEL_CACHE_DIR
          ? { KAFKA_OTEL_CACHE_DIR: process.env.KAFKA_OTEL_CACHE_DIR }
          : {}),
      },
      REPO_ROOT,
      { stdin: 'pipe' },
    );
    processes.push(demo);
    const ready = await waitFor(
      () => {
        const exited = demo.exited();
        if (exited) throw new Error(`the live demo ended (${exited}):\n${demo.output()}`);
        return demo.stdoutLines().find((line) => line.startsWith('LIVE_READY '));
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'the live demo to be ready' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nThe demo's output:\n${demo.output()}`, { cause: error });
    });
    const collectTarget = /\bcollect=(\S+)/.exec(ready)?.[1];
    if (!collectTarget) throw new Error(`no collect= in ${ready}`);

    // The faults some panels are for.
    command('crash');
    command('bad-send');
    command('timeout');
    command('fail-connector');

    const [limited, unreachable] = await Promise.all([
      // Three series per snapshot: the rest of the cluster's series are dropped, and counted.
      startCollectExporter({
        brokers,
        port: await freeSidePort(),
        topics: '.*',
        groups: '.*',
        extraArgs: ['--max-series', '3'],
      }),
      // Nothing listens on these ports: every snapshot fails, and counts its error.
      startCollectExporter({
        brokers: [`127.0.0.1:${await freeSidePort()}`],
        port: await freeSidePort(),
        topics: '.*',
        groups: '.*',
        extraArgs: [
          '--connect-url',
          `http://127.0.0.1:${await freeSidePort()}`,
          '--broker-jmx-urls',
          `http://127.0.0.1:${await freeSidePort()}/jolokia/`,
        ],
      }),
    ]);
    processes.push(limited, unreachable);
    const targets = [
      { job: 'kafka-otel-collect', target: collectTarget },
      { job: 'kafka-otel-collect-limited', target: limited.target },
      { job: 'kafka-otel-collect-unreachable', target: unreachable.target },
    ];
    await setScrapeTargets(targets, { name: stack.name });
    await waitFor(
      async () => {
        const health = new Map((await promTargets(stack.prometheus)).map((t) => [t.job, t.health]));
        return targets.every((t) => health.get(t.job) === 'up');
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'Prometheus to scrape the collectors' },
    );
    // A bound: a cold Connect worker (about a minute on a busy machine) and then the demo.
  }, 360_000);

  afterAll(async () => {
    if (demo && !demo.exited()) command('quit');
    await setScrapeTargets([], { name: stack.name }).catch(() => undefined);
    // quit first (the demo stops its services itself), SIGTERM after a grace period.
    await stopAll(processes.map((p) => ({ ...p, stop: () => p.stop(30_000) })));
  });

  it(`returns data for every query of every panel (${QUERIES.length} queries)`, async () => {
    let empty: string[] = QUERIES.map((q) => `${q.dashboard} / ${q.panel} / ${q.refId}`);
    // Every query is retried until all have data or the bound is reached: series appear as the
    // demo's load, its faults and the collectors' snapshots reach Prometheus.
    await waitFor(
      async () => {
        const stillEmpty: string[] = [];
        for (const query of QUERIES) {
          const samples = await promQuery(stack.prometheus, promql(query));
          if (!samples.some((s) => Number.isFinite(s.value))) {
            stillEmpty.push(`${query.dashboard} / ${query.panel} / ${query.refId}`);
          }
        }
        empty = stillEmpty;
        return empty.length === 0;
      },
      { timeoutMs: 150_000, intervalMs: 2_000, description: 'every panel query to return data' },
    ).catch(() => undefined);
    expect(empty).toEqual([]);
    expect(demo.exited()).toBeUndefined();
  });

  it('fires the Connect alerts on the demo: a FAILED task, and a sink writing to its dead-letter queue', async () => {
    // The demo's Prometheus evaluates the shipped rules with the demo's short `for`s; its
    // `fail-connector` sink cannot open its file, and its events sink sends every record its
    // converter rejects to the dead-letter queue.
    const expected = [
      { alertname: 'KafkaConnectTaskFailed', kafka_connect_connector: 'demo-failing-sink' },
      {
        alertname: 'KafkaConnectDeadLetterQueueGrowing',
        kafka_connect_connector: 'demo-events-sink',
      },
    ];
    let alerts = await promAlerts(stack.prometheus);
    const firing = () =>
      expected.filter((selector) =>
        alerts.some(
          (alert) =>
            alert.state === 'firing' &&
            Object.entries(selector).every(([label, value]) => alert.labels[label] === value),
        ),
      );
    await waitFor(
      async () => {
        alerts = await promAlerts(stack.prometheus);
        return firing().length === expected.length;
      },
      { timeoutMs: 180_000, intervalMs: 2_000, description: 'the Connect alerts to fire' },
    ).catch(() => undefined);
    expect(firing(), `alerts held by Prometheus:\n${describeAlerts(alerts)}`).toEqual(expected);
  });
});
