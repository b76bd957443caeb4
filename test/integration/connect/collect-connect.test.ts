/**
 * Kafka Connect through the two ways a user turns it on, with a real worker (scripts/local-kafka's
 * `startConnect` on the suite's cluster): `kafka-otel collect --connect-url --connect-jolokia-url`
 * (the built CLI, scraped as Prometheus would), where a paused sink connector's lag appears
 * under its name, exactly; and `register` with KAFKA_OTEL_COLLECT_CONNECT_URL, in an application
 * that still ends by itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startConnect } from '../../../scripts/local-kafka';
import { ensureBuilt } from '../../support/built-package';
import { createTestKafka, injectedBrokers } from '../../support/kafka-client';
import { uniqueName } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';
import { OtlpReceiver } from '../register/support/otlp-receiver';
import { scrape, total, type Sample } from '../register/support/prometheus-text';
import { servingUrl, shortJobUnderRegister } from '../register/support/short-job';
import { SpawnedProcess } from '../register/support/spawned-process';
import { ConnectAdmin } from './connect-admin';

const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const WAIT = { timeoutMs: 90_000, intervalMs: 500 };

const brokers = injectedBrokers();
let worker: { url: string; jolokiaUrl: string };
let connect: ConnectAdmin;
let admin: Admin;
let producer: Producer;
let dir: string;
const running: SpawnedProcess[] = [];
const connectors: string[] = [];

beforeAll(async () => {
  ensureBuilt();
  const cluster = inject('localKafkaCluster');
  if (cluster === null) throw new Error('the Connect tests need a scripts/local-kafka cluster');
  worker = await startConnect({ cluster });
  connect = new ConnectAdmin(worker.url);
  const kafka = createTestKafka();
  admin = kafka.admin();
  producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await Promise.all([admin.connect(), producer.connect()]);
  dir = mkdtempSync(path.join(tmpdir(), 'kafka-otel-collect-connect-'));
}, 240_000);

afterEach(async () => {
  running.splice(0).forEach((p) => p.kill());
  await Promise.all(connectors.splice(0).map((name) => connect.delete(name)));
});

afterAll(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A topic with `messages` records and a FileStream sink connector reading it. */
async function sinkOn(messages: number): Promise<{ topic: string; name: string }> {
  const topic = uniqueName('connect-collect');
  const name = uniqueName('sink');
  await createTopicAndWait(admin, { topic, numPartitions: 1 });
  await send(topic, messages);
  connectors.push(name);
  await connect.put(name, {
    'connector.class': FILE_SINK,
    'tasks.max': '1',
    topics: topic,
    file: path.join(dir, `${name}.txt`),
  });
  return { topic, name };
}

async function send(topic: string, count: number): Promise<void> {
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ value: `line ${i}` })),
  });
}

/** Scrapes `url` until `ready` holds for the samples, and returns them. */
function scrapeUntil(url: string, description: string, ready: (s: Sample[]) => boolean) {
  return waitFor(
    async () => {
      const samples = await scrape(url);
      return ready(samples) ? samples : undefined;
    },
    { ...WAIT, description },
  );
}

describe('Kafka Connect in kafka-otel collect and register', () => {
  it("collect serves the connector's state, its task totals and a paused sink's exact lag", async () => {
    const { topic, name } = await sinkOn(3);
    const cli = new SpawnedProcess(
      [
        'dist/cjs/cli.js',
        'collect',
        '--brokers',
        brokers.join(','),
        '--topics',
        topic,
        '--prometheus-host',
        '127.0.0.1',
        '--prometheus-port',
        '0',
        '--interval',
        '1s',
        '--connect-url',
        worker.url,
        '--connect-jolokia-url',
        worker.jolokiaUrl,
      ],
      {},
    );
    running.push(cli);
    const url = await waitFor(() => servingUrl(cli), { description: 'the serving line' });
    expect(cli.stderr).toContain(`Kafka Connect at ${worker.url}`);
    const connector = { kafka_connect_connector: name };

    // The sink consumed and committed all three records: lag 0 under the connector's name.
    const caughtUp = await scrapeUntil(url, 'the sink to read 3 records with lag 0', (s) => {
      return (
        total(s, 'kafka_connect_sink_records_read_total', connector) === 3 &&
        total(s, 'kafka_connect_sink_lag', { ...connector, topic }) === 0
      );
    });
    expect(total(caughtUp, 'kafka_connect_up')).toBe(1);
    expect(total(caughtUp, 'kafka_connect_jmx_up')).toBe(1);
    expect(
      total(caughtUp, 'kafka_connect_connector_state', {
        ...connector,
        kafka_connect_state: 'RUNNING',
        kafka_connect_connector_type: 'sink',
      }),
    ).toBe(1);
    expect(
      total(caughtUp, 'kafka_connect_sink_lag', { ...connector, topic, group: `connect-${name}` }),
    ).toBe(0);

    // Paused, the sink reads nothing more: the four records sent now are its lag, exactly.
    await connect.pause(name);
    await scrapeUntil(url, 'the connector to read PAUSED', (s) => {
      return (
        total(s, 'kafka_connect_connector_state', {
          ...connector,
          kafka_connect_state: 'PAUSED',
        }) === 1
      );
    });
    await send(topic, 4);
    const lagging = await scrapeUntil(url, 'sink lag 4', (s) => {
      return total(s, 'kafka_connect_sink_lag', { ...connector, topic }) === 4;
    });
    expect(
      total(lagging, 'kafka_consumer_group_lag_sum', { group: `connect-${name}`, topic }),
    ).toBe(4);
    expect(total(lagging, 'kafka_connect_sink_records_read_total', connector)).toBe(3);

    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('register collects Kafka Connect in the application and lets it end by itself', async () => {
    const { name } = await sinkOn(1);
    const receiver = new OtlpReceiver();
    const receiverUrl = await receiver.start();
    try {
      const serviceName = uniqueName('register-connect');
      const app = shortJobUnderRegister(serviceName, receiverUrl, {
        KAFKA_OTEL_COLLECT_BROKERS: brokers.join(','),
        KAFKA_OTEL_COLLECT_CONNECT_URL: worker.url,
      });
      running.push(app);
      const ours = (metric: string) =>
        receiver.points.filter(
          (p) => p.resource['service.name'] === serviceName && p.metric === metric,
        );
      // The in-process Connect collector reported the connector while the job ran ...
      await waitFor(
        () =>
          ours('kafka.connect.connector.state').some(
            (p) => p.attributes['kafka.connect.connector'] === name && p.value === 1,
          ),
        { ...WAIT, description: 'the connector state from the in-process Connect collector' },
      );
      expect(ours('kafka.connect.up').map((p) => p.value)).toContain(1);
      // ... and the job still ends by itself: neither collector keeps its event loop alive.
      expect(await app.exitWithin(15_000)).toEqual({ code: 0, signal: null });
    } finally {
      await receiver.stop();
    }
  });
});
