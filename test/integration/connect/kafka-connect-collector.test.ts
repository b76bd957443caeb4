/**
 * KafkaConnectCollector against a real distributed Connect worker (scripts/local-kafka's
 * `startConnect`, on the suite's cluster) with its Jolokia agent: FileStream connectors moving
 * real records, a task that fails on its configuration, pause/resume, delete, and the REST API
 * going away. Every connector and topic is unique to its test, and the collector reports only
 * the test's own connectors, so the tests pass alone and in any order on a shared worker.
 */
import { trace, type Attributes } from '@opentelemetry/api';
import type { Admin } from 'kafkajs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startConnect } from '../../../scripts/local-kafka';
import {
  KafkaConnectCollector,
  type KafkaConnectCollectorOptions,
} from '../../../src/collectors/connect/kafka-connect-collector';
import { createTestKafka } from '../../support/kafka-client';
import { uniqueName } from '../../support/names';
import { TelemetryHarness, type Point } from '../../support/telemetry-harness';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';
import { ConnectAdmin, startTcpRelay } from './connect-admin';

const CONNECTOR = 'kafka.connect.connector';
const TASK = 'kafka.connect.task';
const STATE = 'kafka.connect.state';
const WORKER = 'kafka.connect.worker';
const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
/** A wait's bound, below the test's so a wait that fails says what it waited for. */
const WAIT = { timeoutMs: 60_000, intervalMs: 500 };
/** Bound of a test: a few waits on a loaded machine. */
const TEST_TIMEOUT = 240_000;

let connectUrl: string;
let jolokiaUrl: string;
let admin: Admin;
let connect: ConnectAdmin;
let dir: string;
const harness = new TelemetryHarness();
const created: string[] = [];
const collectors: KafkaConnectCollector[] = [];

beforeAll(async () => {
  const cluster = inject('localKafkaCluster');
  if (cluster === null) {
    throw new Error(
      'the Connect tests need a scripts/local-kafka cluster (KAFKA_BROKERS names another)',
    );
  }
  // Idempotent: a running worker is only checked. Never stopped here: other suites on the
  // shared cluster may use it; stopping the cluster stops it.
  const worker = await startConnect({ cluster });
  connectUrl = worker.url;
  jolokiaUrl = worker.jolokiaUrl;
  connect = new ConnectAdmin(connectUrl);
  admin = createTestKafka().admin();
  await admin.connect();
  dir = mkdtempSync(path.join(tmpdir(), 'kafka-otel-connect-'));
  trace.setGlobalTracerProvider(harness.tracerProvider);
}, 240_000);

afterEach(async () => {
  await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
  await Promise.all(created.splice(0).map((name) => connect.delete(name)));
});

afterAll(async () => {
  await admin?.disconnect();
  rmSync(dir, { recursive: true, force: true });
  trace.disable();
  await harness.shutdown();
});

/** Points of one collection, by metric name, filtered by attributes. */
interface Reading {
  points(name: string, where?: Attributes): Point[];
  /** The one matching point's value; undefined when there is none or several. */
  value(name: string, where?: Attributes): number | undefined;
  attributes(): Attributes[];
}

/** A collector of the test's own connectors; `scrape()` takes one snapshot and reads it. */
function collectorOf(connectors: string[], options: Partial<KafkaConnectCollectorOptions> = {}) {
  const warnings: string[] = [];
  const collector = new KafkaConnectCollector({
    url: connectUrl,
    jolokiaUrl,
    connectors,
    minSnapshotIntervalMs: 0,
    warn: (message) => warnings.push(message),
    ...options,
  }).start();
  collectors.push(collector);
  const scrape = async (): Promise<Reading> => {
    const { resourceMetrics } = await collector.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const all = metrics.flatMap((metric) =>
      metric.dataPoints.map((point) => ({
        name: metric.descriptor.name,
        attributes: point.attributes,
        value: typeof point.value === 'number' ? point.value : NaN,
      })),
    );
    const points = (name: string, where: Attributes = {}) =>
      all.filter(
        (point) =>
          point.name === name &&
          Object.entries(where).every(([key, value]) => point.attributes[key] === value),
      );
    return {
      points,
      value: (name, where) => {
        const found = points(name, where);
        return found.length === 1 ? found[0]!.value : undefined;
      },
      attributes: () => all.map((point) => point.attributes),
    };
  };
  return { collector, scrape, warnings };
}

/** Scrapes until `check` passes (it throws or returns false until then); returns that reading. */
async function scrapeUntil(
  scrape: () => Promise<Reading>,
  description: string,
  check: (reading: Reading) => boolean | void,
): Promise<Reading> {
  return waitFor(
    async () => {
      const reading = await scrape();
      return check(reading) === false ? false : reading;
    },
    { ...WAIT, description },
  );
}

/** The one state of a connector (or task) whose one-hot point is 1. */
function stateOf(reading: Reading, metric: string, where: Attributes): string | undefined {
  const current = reading.points(metric, where).filter((p) => p.value === 1);
  return current.length === 1 ? String(current[0]!.attributes[STATE]) : undefined;
}

async function newTopic(): Promise<string> {
  const topic = uniqueName('connect-topic');
  await createTopicAndWait(admin, { topic, numPartitions: 1 });
  return topic;
}

async function createConnector(name: string, config: Record<string, string>): Promise<void> {
  created.push(name);
  await connect.put(name, { 'tasks.max': '1', ...config });
}

function lines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

describe('KafkaConnectCollector on a real Connect worker', () => {
  it(
    'FileStream source and sink: records flow, RUNNING, task counts and exact totals',
    async () => {
      const topic = await newTopic();
      const input = path.join(dir, `${uniqueName('in')}.txt`);
      const output = path.join(dir, `${uniqueName('out')}.txt`);
      const records = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
      writeFileSync(input, `${records.join('\n')}\n`);
      const source = uniqueName('file-source');
      const sink = uniqueName('file-sink');
      await createConnector(source, { 'connector.class': FILE_SOURCE, file: input, topic });
      await createConnector(sink, { 'connector.class': FILE_SINK, file: output, topics: topic });
      await waitFor(() => lines(output).length === records.length, {
        ...WAIT,
        description: `the sink file to hold ${records.length} lines (it has ${lines(output).length})`,
      });
      expect(lines(output)).toEqual(records);

      const { collector, scrape, warnings } = collectorOf([source, sink]);
      const inSource = { [CONNECTOR]: source, [TASK]: 0 };
      const inSink = { [CONNECTOR]: sink, [TASK]: 0 };
      const reading = await scrapeUntil(scrape, 'exact record totals of both tasks', (r) => {
        expect(r.value('kafka.connect.source.records.polled', inSource)).toBe(records.length);
        expect(r.value('kafka.connect.source.records.written', inSource)).toBe(records.length);
        expect(r.value('kafka.connect.sink.records.read', inSink)).toBe(records.length);
        expect(r.value('kafka.connect.sink.records.sent', inSink)).toBe(records.length);
      });
      expect(reading.value('kafka.connect.up')).toBe(1);
      expect(reading.value('kafka.connect.jmx.up')).toBe(1);
      for (const [name, type] of [
        [source, 'source'],
        [sink, 'sink'],
      ] as const) {
        const where = { [CONNECTOR]: name, 'kafka.connect.connector.type': type };
        expect(stateOf(reading, 'kafka.connect.connector.state', where)).toBe('RUNNING');
        expect(reading.points('kafka.connect.connector.state', where)).toHaveLength(6);
        expect(reading.value('kafka.connect.connector.tasks.configured', where)).toBe(1);
        expect(
          reading.value('kafka.connect.connector.tasks', { ...where, [STATE]: 'RUNNING' }),
        ).toBe(1);
        expect(
          reading.value('kafka.connect.connector.tasks', { ...where, [STATE]: 'FAILED' }),
        ).toBe(0);
        expect(stateOf(reading, 'kafka.connect.task.state', { [CONNECTOR]: name, [TASK]: 0 })).toBe(
          'RUNNING',
        );
        expect(reading.value('kafka.connect.task.restarts', { [CONNECTOR]: name, [TASK]: 0 })).toBe(
          0,
        );
      }
      // The worker (the only one) runs both connectors and both tasks of this test.
      const workers = reading.points('kafka.connect.worker.tasks');
      expect(workers).toHaveLength(1);
      expect(workers[0]!.value).toBe(2);
      const worker = workers[0]!.attributes[WORKER];
      expect(reading.value('kafka.connect.worker.connectors', { [WORKER]: worker })).toBe(2);
      expect(stateOf(reading, 'kafka.connect.task.state', { ...inSink, [WORKER]: worker })).toBe(
        'RUNNING',
      );
      // The sink committed its offsets (offset.flush.interval.ms=1000 on the launcher's worker).
      await scrapeUntil(scrape, 'a completed sink offset commit', (r) => {
        expect(r.value('kafka.connect.sink.offset_commits.completed', inSink)).toBeGreaterThan(0);
      });
      expect(collector.connectorOfGroup(`connect-${sink}`)).toBe(sink);
      expect(collector.connectorOfGroup(`connect-${source}`)).toBeUndefined();
      expect(warnings).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'a sink task whose file cannot be created goes FAILED: gauges, one warning, one span; a fix is a restart',
    async () => {
      const topic = await newTopic();
      const name = uniqueName('bad-sink');
      const unwritable = path.join(dir, uniqueName('missing-dir'), 'out.txt');
      const { scrape, warnings } = collectorOf([name]);
      await createConnector(name, {
        'connector.class': FILE_SINK,
        file: unwritable,
        topics: topic,
      });

      const task = { [CONNECTOR]: name, [TASK]: 0 };
      const failed = await scrapeUntil(scrape, 'the task FAILED', (r) => {
        expect(stateOf(r, 'kafka.connect.task.state', task)).toBe('FAILED');
      });
      // The task fails (FileStreamSinkTask.start); the connector itself keeps RUNNING.
      expect(stateOf(failed, 'kafka.connect.connector.state', { [CONNECTOR]: name })).toBe(
        'RUNNING',
      );
      expect(
        failed.value('kafka.connect.connector.tasks', { [CONNECTOR]: name, [STATE]: 'FAILED' }),
      ).toBe(1);
      // The trace is in one warning line and in the span event, never in an attribute.
      const failures = warnings.filter((w) => w.includes('is FAILED'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(
        new RegExp(`^Kafka Connect task ${name}/0 on worker \\S+ is FAILED: `),
      );
      expect(failures[0]).toContain('NoSuchFileException');
      expect(failures[0]).not.toContain('\n');
      for (const attributes of failed.attributes()) {
        for (const value of Object.values(attributes))
          expect(String(value)).not.toMatch(/Exception/);
      }
      const spans = harness
        .spansNamed('kafka.connect.task.failed')
        .filter((span) => span.attributes[CONNECTOR] === name);
      expect(spans).toHaveLength(1);
      const [event] = spans[0]!.events;
      expect(event!.name).toBe('exception');
      expect(String(event!.attributes!['exception.stacktrace'])).toContain(
        'org.apache.kafka.connect.file.FileStreamSinkTask.start',
      );
      expect(spans[0]!.attributes[TASK]).toBe(0);

      // A working file: the worker restarts task 0 with the new configuration.
      await connect.put(name, {
        'connector.class': FILE_SINK,
        'tasks.max': '1',
        file: path.join(dir, `${uniqueName('fixed')}.txt`),
        topics: topic,
      });
      const fixed = await scrapeUntil(scrape, 'the task RUNNING again', (r) => {
        expect(stateOf(r, 'kafka.connect.task.state', task)).toBe('RUNNING');
      });
      expect(fixed.value('kafka.connect.task.restarts', task)).toBe(1);
      expect(
        harness
          .spansNamed('kafka.connect.task.failed')
          .filter((s) => s.attributes[CONNECTOR] === name),
      ).toHaveLength(1);
    },
    TEST_TIMEOUT,
  );

  it(
    'pause shows PAUSED, resume RUNNING (not a restart); delete removes the series',
    async () => {
      const topic = await newTopic();
      const name = uniqueName('paused-source');
      const input = path.join(dir, `${uniqueName('in')}.txt`);
      writeFileSync(input, 'one\n');
      const { scrape } = collectorOf([name]);
      await createConnector(name, { 'connector.class': FILE_SOURCE, file: input, topic });
      const where = { [CONNECTOR]: name };
      const task = { [CONNECTOR]: name, [TASK]: 0 };
      await scrapeUntil(scrape, 'connector and task RUNNING', (r) => {
        expect(stateOf(r, 'kafka.connect.connector.state', where)).toBe('RUNNING');
        expect(stateOf(r, 'kafka.connect.task.state', task)).toBe('RUNNING');
      });

      await connect.pause(name);
      const paused = await scrapeUntil(scrape, 'connector and task PAUSED', (r) => {
        expect(stateOf(r, 'kafka.connect.connector.state', where)).toBe('PAUSED');
        expect(stateOf(r, 'kafka.connect.task.state', task)).toBe('PAUSED');
      });
      expect(paused.value('kafka.connect.connector.tasks', { ...where, [STATE]: 'PAUSED' })).toBe(
        1,
      );
      expect(paused.value('kafka.connect.connector.tasks', { ...where, [STATE]: 'RUNNING' })).toBe(
        0,
      );

      await connect.resume(name);
      const resumed = await scrapeUntil(scrape, 'connector and task RUNNING again', (r) => {
        expect(stateOf(r, 'kafka.connect.connector.state', where)).toBe('RUNNING');
        expect(stateOf(r, 'kafka.connect.task.state', task)).toBe('RUNNING');
      });
      expect(resumed.value('kafka.connect.task.restarts', task)).toBe(0);
      expect(resumed.value('kafka.connect.connector.restarts', where)).toBe(0);

      await connect.delete(name);
      const deleted = await scrape();
      expect(deleted.value('kafka.connect.up')).toBe(1);
      for (const metric of [
        'kafka.connect.connector.state',
        'kafka.connect.connector.tasks',
        'kafka.connect.task.state',
        'kafka.connect.task.restarts',
        'kafka.connect.worker.tasks',
      ]) {
        expect(deleted.points(metric), metric).toEqual([]);
      }
      // Its JMX beans go with its tasks: no per-task series either.
      await scrapeUntil(scrape, 'no JMX series of the deleted connector', (r) => {
        expect(r.points('kafka.connect.source.records.polled', where)).toEqual([]);
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'the REST API gone: up 0, no connector series, and no sink known by its group',
    async () => {
      const topic = await newTopic();
      const name = uniqueName('watched-sink');
      const output = path.join(dir, `${uniqueName('out')}.txt`);
      await createConnector(name, { 'connector.class': FILE_SINK, file: output, topics: topic });
      const relay = await startTcpRelay(new URL(connectUrl));
      const { collector, scrape, warnings } = collectorOf([name], {
        url: relay.url,
        jolokiaUrl: undefined,
      });
      const where = { [CONNECTOR]: name };
      await scrapeUntil(scrape, 'the connector RUNNING', (r) => {
        expect(r.value('kafka.connect.up')).toBe(1);
        expect(stateOf(r, 'kafka.connect.connector.state', where)).toBe('RUNNING');
      });
      expect(collector.connectorOfGroup(`connect-${name}`)).toBe(name);

      await relay.shut();
      const down = await scrape();
      expect(down.value('kafka.connect.up')).toBe(0);
      expect(down.points('kafka.connect.connector.state')).toEqual([]);
      expect(down.points('kafka.connect.task.state')).toEqual([]);
      expect(down.points('kafka.connect.worker.connectors')).toEqual([]);
      const restErrors = (r: Reading) =>
        r.points('kafka.connect.scrape.errors', { phase: 'rest' }).reduce((n, p) => n + p.value, 0);
      // One error per snapshot (refused, or a pooled keep-alive connection cut: either way gone).
      expect(restErrors(down)).toBe(1);
      const stillDown = await scrape();
      expect(stillDown.value('kafka.connect.up')).toBe(0);
      expect(stillDown.points('kafka.connect.connector.state')).toEqual([]);
      expect(restErrors(stillDown)).toBe(2);
      // What the current snapshot does not show is not exported: the sink's lag loses its label.
      expect(collector.connectorOfGroup(`connect-${name}`)).toBeUndefined();
      expect(warnings).toHaveLength(1); // one line for the outage, not one per collection
      expect(warnings[0]).toContain(`Kafka Connect REST API ${relay.url} failed (`);
      expect(warnings[0]!.split(relay.url)).toHaveLength(2); // the endpoint named once
      expect(warnings[0]).toContain('kafka.connect.up=0');
    },
    TEST_TIMEOUT,
  );
});
