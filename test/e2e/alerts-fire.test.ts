/**
 * Issue 12, "Proven for real", the alerts: the shipped alert rules (scripts/alerts), loaded into
 * the e2e stack's real Prometheus, go firing in `GET /api/v1/alerts` when faults are induced on
 * real brokers, and leave the list once the cluster has recovered. `kafka-otel collect` watches
 * a three-node cluster of this file's own (`e2e3`) and Prometheus scrapes it as job JOB.
 *
 * Only the user-tunable thresholds differ from the shipped ones (TEST_THRESHOLDS): every `for`
 * is seconds instead of minutes, the time-lag limit 5 s instead of 600. Each test prints how long
 * each alert took to fire after the fault and to resolve after the recovery (reported, never
 * asserted: the machine is shared and slow).
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCluster, startNode, stopCluster, stopNode } from '../../scripts/local-kafka';
import type { AlertThresholds } from '../../scripts/alerts/alert-thresholds';
import { freeSidePort, setRuleFiles, setScrapeTargets } from '../../scripts/otel-stack';
import { createTestKafka, testProducerConfig } from '../support/kafka-client';
import { uniqueName } from '../support/names';
import { promTargets, promValue } from '../support/otel-stack-queries';
import '../support/otel-stack-context';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';
import { writeRulesFile, type RenderedRules } from './support/alert-rules-file';
import { stopAll } from './support/child-process';
import { startCollectExporter, type CollectExporter } from './support/collect-process';
import {
  describeAlerts,
  promAlerts,
  timeAlerts,
  timeAlertsAround,
  type AlertSelector,
  type PromAlert,
} from './support/prometheus-alerts';

const stack = inject('otelStack');
const CLUSTER = 'e2e3';
const BASE_PORT = 45_092;
const JOB = 'kafka-otel-collect-alerts';
/** Prefix of every topic and group of this run: the exporter watches only these. */
const RUN = uniqueName('alerts');

/**
 * The thresholds changed from DEFAULT_ALERT_THRESHOLDS. `collectorJob` is the job this file
 * scrapes the exporter as (KafkaCollectorAbsent looks for it).
 */
const TEST_THRESHOLDS: Partial<AlertThresholds> = {
  collectorJob: JOB,
  collectorDownFor: '5s',
  offlinePartitionsFor: '5s',
  underMinIsrFor: '5s',
  underReplicatedFor: '5s',
  consumerGroupStatusFor: '5s',
  consumerGroupTimeLagSeconds: 5,
  consumerGroupTimeLagFor: '5s',
};

/** Bounds, not expectations: the slowest `for` is 5 s, the lag status needs ten 1 s snapshots. */
const FIRE_TIMEOUT_MS = 90_000;
const RESOLVE_TIMEOUT_MS = 90_000;
const FAULT_TEST_TIMEOUT_MS = 420_000;

/** An alert a fault must fire: who it is, and the value its expression must have. */
interface ExpectedAlert {
  /** How the timing line names it. */
  name: string;
  selector: AlertSelector & { alertname: string };
  /** Exact value where the fault determines it (a partition count); undefined for a time. */
  value?: number;
  /** Text its summary or description must hold (the topic, group or job to look at). */
  mentions: string;
}

/** The labels that tell one alert of a rule from another, for comparing sets of alerts. */
const IDENTIFYING = ['alertname', 'job', 'topic', 'group', 'status'] as const;

function identity(labels: Record<string, string>): string {
  return IDENTIFYING.filter((name) => labels[name] !== undefined)
    .map((name) => `${name}=${labels[name]}`)
    .join(' ');
}

let brokers: string[] = [];
let exporter: CollectExporter | undefined;
let rules: RenderedRules | undefined;

/** A fresh admin per use: nodes stop and start under this file, and the whole cluster too. */
async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = createTestKafka({ brokers }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

async function produce(topic: string, count: number): Promise<void> {
  const producer = createTestKafka({ brokers }).producer(testProducerConfig);
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ value: `m${i}` })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** A value of the exporter's series as Prometheus holds it now. */
function collected(expr: string): Promise<number | undefined> {
  return promValue(stack.prometheus, expr);
}

/**
 * Every alert of `family` (rule names) that Prometheus holds for JOB about what the test
 * `concerns` (its own topics or group: other tests' topics live in the same cluster) must be one
 * of `expected`, firing, with its value; and each of `expected` must be there. Retried a few
 * seconds, so that a sibling still pending in the evaluation that made the last one fire can
 * catch up.
 */
async function expectExactlyFiring(
  family: readonly string[],
  concerns: (labels: Record<string, string>) => boolean,
  expected: readonly ExpectedAlert[],
): Promise<PromAlert[]> {
  const ofFamily = (alerts: PromAlert[]) =>
    alerts.filter(
      (a) =>
        a.labels.job === JOB && family.includes(a.labels.alertname ?? '') && concerns(a.labels),
    );
  const want = expected
    .map((e) => ({
      alert: identity(e.selector),
      state: 'firing',
      value: e.value ?? expect.any(Number),
    }))
    .sort((a, b) => a.alert.localeCompare(b.alert));
  return waitFor(
    async () => {
      const held = ofFamily(await promAlerts(stack.prometheus));
      const got = held
        .map((a) => ({ alert: identity(a.labels), state: a.state, value: a.value }))
        .sort((a, b) => a.alert.localeCompare(b.alert));
      expect(got, `alerts ${family.join(', ')} of job ${JOB}:\n${describeAlerts(held)}`).toEqual(
        want,
      );
      return held;
    },
    { timeoutMs: 15_000, intervalMs: 500, description: `exactly the expected alerts firing` },
  );
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * One fault, end to end: the expected alerts are absent; `induce` breaks the cluster and each
 * must go firing, alone among `family`, naming what broke; `recover` mends it, each must leave
 * Prometheus's alert list and the exporter's series must say why (`recovered`: the series back
 * and healthy, not gone stale). Prints how long each alert took, timed from the start of
 * `induce` and of `recover` (each an action of seconds: a commit, a JVM stopping or starting).
 */
async function proveFault(fault: {
  description: string;
  family: readonly string[];
  /** Which alerts of the family are about this fault's topics or group. */
  concerns: (labels: Record<string, string>) => boolean;
  expected: readonly ExpectedAlert[];
  induce: () => Promise<unknown>;
  recover: () => Promise<unknown>;
  /** PromQL over the exporter's series that is 1 once the cluster is healthy again. */
  recovered: string;
}): Promise<void> {
  const selectors = fault.expected.map((e) => e.selector);
  const context = { job: JOB };
  await timeAlerts(stack.prometheus, selectors, 'resolved', {
    since: Date.now(),
    context,
    signal: AbortSignal.timeout(RESOLVE_TIMEOUT_MS),
  });

  const fired = await timeAlertsAround(stack.prometheus, selectors, 'firing', {
    context,
    boundMs: FIRE_TIMEOUT_MS,
    action: fault.induce,
  });
  const held = await expectExactlyFiring(fault.family, fault.concerns, fault.expected);
  for (const e of fault.expected) {
    const alert = held.find((a) => identity(a.labels) === identity(e.selector));
    const text = `${alert?.annotations.summary}\n${alert?.annotations.description}`;
    expect(text, `${e.name} annotations`).toContain(e.mentions);
  }

  const resolved = await timeAlertsAround(stack.prometheus, selectors, 'resolved', {
    context,
    boundMs: RESOLVE_TIMEOUT_MS,
    action: fault.recover,
  });
  await waitFor(async () => (await collected(fault.recovered)) === 1, {
    timeoutMs: 15_000,
    intervalMs: 500,
    description: `${fault.recovered} = 1 after the alerts resolved`,
  });
  await expectExactlyFiring(fault.family, fault.concerns, []);

  console.log(
    `[alerts] ${fault.description}: the fault took ${seconds(fired.actionMs)}, the recovery ${seconds(resolved.actionMs)}`,
  );
  fault.expected.forEach((e, i) =>
    console.log(
      `[alerts] ${e.name} fired after ${seconds(fired.elapsedMs[i]!)}, resolved after ${seconds(resolved.elapsedMs[i]!)}`,
    ),
  );
}

describe('the shipped alert rules on real Prometheus, under real faults', () => {
  beforeAll(async () => {
    const kafka = await startCluster({
      cluster: CLUSTER,
      nodes: 3,
      basePort: BASE_PORT,
      // A run that failed midway may have left a node down or a leaderless topic behind.
      fresh: true,
      log: (line) => console.log(`[alerts] local-kafka: ${line}`),
    });
    brokers = kafka.brokers;
    rules = await writeRulesFile(TEST_THRESHOLDS);
    exporter = await startCollectExporter({
      brokers,
      port: await freeSidePort(),
      topics: `${RUN}-.*`,
      groups: `${RUN}-.*`,
    });
    await setScrapeTargets([{ job: JOB, target: exporter.target }], { name: stack.name });
    await setRuleFiles([rules.file], { name: stack.name });
    await waitFor(
      async () => (await promTargets(stack.prometheus)).find((t) => t.job === JOB)?.health === 'up',
      { timeoutMs: 30_000, intervalMs: 250, description: `Prometheus to scrape ${JOB}` },
    );
    await waitFor(async () => (await collected(`kafka_brokers{job="${JOB}"}`)) === 3, {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: `kafka_brokers{job="${JOB}"} = 3 in Prometheus`,
    });
  }, 400_000);

  afterAll(async () => {
    await setRuleFiles([], { name: stack.name }).catch(() => undefined);
    await setScrapeTargets([], { name: stack.name }).catch(() => undefined);
    await stopAll(exporter ? [exporter] : []);
    rules?.remove();
    await stopCluster({ cluster: CLUSTER }).catch((error: unknown) =>
      console.log(`[alerts] could not stop cluster ${CLUSTER}: ${String(error)}`),
    );
  }, 120_000);

  it(
    'a group that stopped with lag fires KafkaConsumerGroupStalled (STOP) and KafkaConsumerGroupTimeLagHigh; catching up resolves both',
    async () => {
      const topic = `${RUN}-lagging`;
      const group = `${RUN}-stopped`;
      const WRITTEN = 10;
      const COMMITTED = 4;
      // KafkaJS's setOffsets runs a real member of the group: it joins, commits the offset and
      // leaves, what a consumer that stops midway leaves behind. The admin connects before the
      // clock starts; the join and the commit are part of the timed fault.
      await withAdmin(async (admin) => {
        await createTopicAndWait(admin, { topic, replicationFactor: 3 }, { brokers });
        await produce(topic, WRITTEN);
        const commit = (offset: number) =>
          admin.setOffsets({
            groupId: group,
            topic,
            partitions: [{ partition: 0, offset: `${offset}` }],
          });

        await proveFault({
          description: `group ${group} committed ${COMMITTED} of ${WRITTEN} and has no member`,
          family: [
            'KafkaConsumerGroupStalled',
            'KafkaConsumerGroupSkippedMessages',
            'KafkaConsumerGroupTimeLagHigh',
          ],
          concerns: (labels) => labels.group === undefined || labels.group === group,
          expected: [
            {
              name: 'KafkaConsumerGroupStalled',
              // No member holds the partition: STOP, not STALL.
              selector: { alertname: 'KafkaConsumerGroupStalled', job: JOB, group, status: 'STOP' },
              value: 1,
              mentions: group,
            },
            {
              name: 'KafkaConsumerGroupTimeLagHigh',
              selector: { alertname: 'KafkaConsumerGroupTimeLagHigh', job: JOB, group, topic },
              mentions: topic,
            },
          ],
          induce: () => commit(COMMITTED),
          // The group catches up: committed at the end, lag 0.
          recover: () => commit(WRITTEN),
          recovered: `kafka_consumer_group_status{job="${JOB}", group="${group}", status="OK"}`,
        });
      });
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it(
    'stopping one of three brokers fires under-replicated, offline and under-min-ISR alerts for the topics it hosts; restarting it resolves them',
    async () => {
      await waitFor(async () => (await collected(`kafka_brokers{job="${JOB}"}`)) === 3, {
        timeoutMs: 120_000,
        intervalMs: 500,
        description: 'three brokers in Prometheus',
      });
      // Not the active controller: the quorum keeps its leader, the fault is the broker alone.
      const quorumLeader = await collected(`kafka_quorum_leader{job="${JOB}"}`);
      const victim = [3, 2, 1].find((node) => node !== quorumLeader)!;
      const underReplicated = `${RUN}-under-replicated`;
      const underMinIsr = `${RUN}-under-min-isr`;
      const single = `${RUN}-single`;
      await withAdmin(async (admin) => {
        // Two in-sync replicas left meet min.insync.replicas=2: under-replicated only.
        await createTopicAndWait(
          admin,
          {
            topic: underReplicated,
            numPartitions: 3,
            replicationFactor: 3,
            configEntries: [{ name: 'min.insync.replicas', value: '2' }],
          },
          { brokers },
        );
        // Losing any replica puts each partition under min.insync.replicas=3.
        await createTopicAndWait(
          admin,
          {
            topic: underMinIsr,
            numPartitions: 2,
            replicationFactor: 3,
            configEntries: [{ name: 'min.insync.replicas', value: '3' }],
          },
          { brokers },
        );
        // Its only replica is on the victim: offline while it is down.
        await createTopicAndWait(
          admin,
          {
            topic: single,
            replicaAssignment: [{ partition: 0, replicas: [victim] }],
            configEntries: [{ name: 'min.insync.replicas', value: '1' }],
          },
          { brokers },
        );
      });
      // The exporter reports all six partitions led and fully in sync before the fault.
      const ours = `job="${JOB}", topic=~"${RUN}-(under-.*|single)"`;
      const healthyPartitions =
        `count((kafka_partition_replicas_in_sync{${ours}} == kafka_partition_replicas)` +
        ` and (kafka_partition_offline{${ours}} == 0))`;
      await waitFor(async () => (await collected(healthyPartitions)) === 6, {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: 'six healthy partitions in Prometheus',
      });

      const cluster = (alertname: string, topic: string) => ({ alertname, job: JOB, topic });
      await proveFault({
        description: `broker ${victim} of 3 stopped`,
        family: [
          'KafkaOfflinePartitions',
          'KafkaUnderMinIsrPartitions',
          'KafkaUnderReplicatedPartitions',
        ],
        concerns: (labels) =>
          labels.topic === undefined ||
          [underReplicated, underMinIsr, single].includes(labels.topic),
        expected: [
          {
            name: 'KafkaUnderReplicatedPartitions (RF 3, min ISR 2: 3 partitions)',
            selector: cluster('KafkaUnderReplicatedPartitions', underReplicated),
            value: 3,
            mentions: underReplicated,
          },
          {
            name: 'KafkaUnderReplicatedPartitions (RF 3, min ISR 3: 2 partitions)',
            selector: cluster('KafkaUnderReplicatedPartitions', underMinIsr),
            value: 2,
            mentions: underMinIsr,
          },
          {
            name: 'KafkaUnderMinIsrPartitions (RF 3, min ISR 3: 2 partitions)',
            selector: cluster('KafkaUnderMinIsrPartitions', underMinIsr),
            value: 2,
            mentions: underMinIsr,
          },
          {
            // Offline is neither under-replicated nor under min ISR: it has no leader at all.
            name: 'KafkaOfflinePartitions (RF 1 on the stopped broker: 1 partition)',
            selector: cluster('KafkaOfflinePartitions', single),
            value: 1,
            mentions: single,
          },
        ],
        // A clean stop (SIGTERM, controlled shutdown), as an operator's restart begins.
        induce: () => stopNode({ cluster: CLUSTER, node: victim }),
        recover: () => startNode({ cluster: CLUSTER, node: victim }),
        recovered: `${healthyPartitions} == bool 6`,
      });
    },
    FAULT_TEST_TIMEOUT_MS,
  );

  it(
    'stopping the whole cluster the exporter watches fires KafkaCollectorDown; starting it again resolves it',
    async () => {
      // A complete snapshot first (a restarted broker may still refuse an offset for a while).
      await waitFor(async () => (await collected(`kafka_collector_up{job="${JOB}"}`)) === 1, {
        timeoutMs: 120_000,
        intervalMs: 500,
        description: `kafka_collector_up{job="${JOB}"} = 1 in Prometheus`,
      });
      await proveFault({
        description: `cluster ${CLUSTER} stopped (all 3 nodes)`,
        // The exporter still answers: up 0, not absent.
        family: ['KafkaCollectorDown', 'KafkaCollectorAbsent'],
        concerns: () => true,
        expected: [
          {
            name: 'KafkaCollectorDown',
            selector: { alertname: 'KafkaCollectorDown', job: JOB },
            value: 0,
            mentions: `Collector ${JOB}/${exporter?.target}`,
          },
        ],
        induce: () => stopCluster({ cluster: CLUSTER }),
        recover: () => startCluster({ cluster: CLUSTER, nodes: 3, basePort: BASE_PORT }),
        recovered: `kafka_collector_up{job="${JOB}"}`,
      });
    },
    FAULT_TEST_TIMEOUT_MS,
  );
});
