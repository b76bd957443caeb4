/**
 * The launcher's Kafka Connect worker on the suite's cluster: `connect start` brings up a real
 * distributed worker (REST and Jolokia on loopback) with the FileStream connectors, `connect
 * status` reports it, `connect stop` ends it; the usual failures are explained before any JVM runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  clusterStatus,
  connectStatus,
  connectVersionFor,
  startConnect,
  stopConnect,
  type ConnectStartResult,
} from '../../scripts/local-kafka';
import { isAlive } from '../../scripts/local-kafka/process-control';
import { isPortFree } from '../../scripts/local-kafka/ports';
import { processesMentioning } from '../support/jvm-processes';
import { LOCAL_CLUSTERS_DIR, removeLocalCluster } from '../support/local-clusters';
import { runLocalKafkaCli } from '../support/local-kafka-cli';
import { uniqueName } from '../support/names';
import { freeBasePort, occupyPort } from '../support/ports';
import { waitFor } from '../support/wait-for';

/**
 * Tests that may start the worker (or stop one, whose tasks get up to 30 s): Maven on a cold
 * cache and a JVM on a busy machine take longer than the project's default (a bound, not a goal).
 */
const WORKER_TEST_TIMEOUT_MS = 240_000;

const suiteCluster = inject('localKafkaCluster');
const brokers = inject('kafkaBrokers');

/** Connect needs a cluster this launcher manages: its worker is part of the cluster's files. */
function clusterName(): string {
  if (suiteCluster === null) {
    throw new Error(
      `KAFKA_BROKERS=${brokers.join(',')} is not served by a scripts/local-kafka cluster; ` +
        'start it with `npm run kafka -- start --cluster NAME` or unset KAFKA_BROKERS.',
    );
  }
  return suiteCluster;
}

/** The cluster's facts the worker follows: base port (REST at +50, Jolokia at +51), version. */
function clusterFacts(): { basePort: number; expectedVersion: string; restUrl: string } {
  const status = clusterStatus({ cluster: clusterName() });
  if (!status) throw new Error(`cluster '${clusterName()}' has no state`);
  return {
    basePort: status.basePort,
    expectedVersion: connectVersionFor(status.kafkaVersion),
    restUrl: `http://127.0.0.1:${status.basePort + 50}`,
  };
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json() };
}

/** A running worker for the tests that need one (idempotent: a running one is only checked). */
function ensureWorker(): Promise<ConnectStartResult> {
  return startConnect({ cluster: clusterName() });
}

/** Whether the worker ran before this file, so that it is left the way it was found. */
let runningBefore = false;
const throwAwayClusters: string[] = [];
const tempDirs: string[] = [];

beforeAll(async () => {
  runningBefore = (await connectStatus({ cluster: clusterName() })).running;
});

afterAll(async () => {
  for (const name of throwAwayClusters) removeLocalCluster(name);
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  if (runningBefore) await ensureWorker();
  else await stopConnect({ cluster: clusterName() });
}, 180_000);

describe('npm run kafka -- connect start / status / stop', () => {
  it(
    'connect start prints the REST and Jolokia URLs of a worker serving the FileStream connectors',
    async () => {
      const { basePort, expectedVersion, restUrl } = clusterFacts();
      const result = await runLocalKafkaCli(['connect', 'start', '--cluster', clusterName()]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.split('\n')).toEqual([
        `KAFKA_CONNECT_URL=${restUrl}`,
        `KAFKA_CONNECT_JOLOKIA_URL=http://127.0.0.1:${basePort + 51}/jolokia/`,
        '',
      ]);
      expect(result.stderr).toMatch(
        new RegExp(
          `Kafka Connect ${expectedVersion.replaceAll('.', '\\.')} worker of '${clusterName()}' is (up|already running) \\(pid \\d+`,
        ),
      );

      const root = await getJson(`${restUrl}/`);
      expect(root.status).toBe(200);
      expect((root.body as { version: string }).version).toBe(expectedVersion);
      const plugins = await getJson(`${restUrl}/connector-plugins`);
      expect(plugins.status).toBe(200);
      expect(plugins.body).toEqual(
        expect.arrayContaining([
          {
            class: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
            type: 'sink',
            version: expectedVersion,
          },
          {
            class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
            type: 'source',
            version: expectedVersion,
          },
        ]),
      );
      // Only what connect-runtime, connect-file and connect-json bring: no other connector classes.
      expect((plugins.body as unknown[]).length).toBe(2);
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it(
    "the worker's Jolokia agent serves its connect-worker-metrics bean, matching the REST API",
    async () => {
      const worker = await ensureWorker();
      // Both views of the connector count must agree; another suite may add connectors meanwhile,
      // so the pair is read again until one snapshot of each matches.
      const counted = await waitFor(
        async () => {
          const connectors = await getJson(`${worker.url}/connectors`);
          const bean = await getJson(
            `${worker.jolokiaUrl}read/kafka.connect:type=connect-worker-metrics/connector-count`,
          );
          const reading = bean.body as { status: number; value: number };
          expect(reading.status).toBe(200);
          return reading.value === (connectors.body as string[]).length ? reading : undefined;
        },
        {
          timeoutMs: 30_000,
          intervalMs: 500,
          description: 'connector-count to match GET /connectors',
        },
      );
      expect(typeof counted.value).toBe('number');
      const search = await getJson(
        `${worker.jolokiaUrl}search/kafka.connect:type=connect-worker-metrics`,
      );
      expect((search.body as { value: string[] }).value).toEqual([
        'kafka.connect:type=connect-worker-metrics',
      ]);
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it(
    'connect status shows the worker up with its version and prints the same URL lines',
    async () => {
      const worker = await ensureWorker();
      const { expectedVersion } = clusterFacts();
      const result = await runLocalKafkaCli(['connect', 'status', '--cluster', clusterName()]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.split('\n')).toEqual([
        `Connect worker of '${clusterName()}': up, pid ${worker.pid}, Kafka Connect ${expectedVersion}, log ${worker.logPath}`,
        `KAFKA_CONNECT_URL=${worker.url}`,
        `KAFKA_CONNECT_JOLOKIA_URL=${worker.jolokiaUrl}`,
        '',
      ]);
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it(
    'a second start only confirms the running worker',
    async () => {
      const first = await ensureWorker();
      const again = await startConnect({ cluster: clusterName() });
      expect(again.alreadyRunning).toBe(true);
      expect(again.pid).toBe(first.pid);
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it(
    'connect stop ends the JVM and frees both ports; status then says down',
    async () => {
      const worker = await ensureWorker();
      const { basePort } = clusterFacts();
      const stopped = await runLocalKafkaCli(['connect', 'stop', '--cluster', clusterName()]);
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stderr).toContain(`Connect worker of '${clusterName()}': stopped`);
      expect(isAlive(worker.pid)).toBe(false);
      expect(await isPortFree(basePort + 50)).toBe(true);
      expect(await isPortFree(basePort + 51)).toBe(true);
      expect(fs.existsSync(path.join(worker.dir, 'connect.pid'))).toBe(false);

      const status = await runLocalKafkaCli(['connect', 'status', '--cluster', clusterName()]);
      expect(status.code).toBe(3);
      expect(status.stdout).toMatch(new RegExp(`^Connect worker of '${clusterName()}': down,`));
      expect(status.stdout).not.toContain('KAFKA_CONNECT_URL=');
    },
    WORKER_TEST_TIMEOUT_MS,
  );
});

describe('connect start failures', () => {
  it(
    'refuses a taken REST port, naming it, before any JVM starts',
    async () => {
      await stopConnect({ cluster: clusterName() });
      const { basePort } = clusterFacts();
      const held = await occupyPort(basePort + 50);
      try {
        const result = await runLocalKafkaCli(['connect', 'start', '--cluster', clusterName()]);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
          `Port ${basePort + 50} (the Connect worker's REST port, BASE+50) is already in use on 127.0.0.1.`,
        );
        expect(result.stdout).toBe('');
        expect(
          processesMentioning(path.join(LOCAL_CLUSTERS_DIR, clusterName(), 'connect')),
        ).toEqual([]);
      } finally {
        await held.close();
      }
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it(
    'explains that Java 17 is needed when there is no java',
    async () => {
      await stopConnect({ cluster: clusterName() });
      const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-path-'));
      tempDirs.push(emptyPath);
      const result = await runLocalKafkaCli(['connect', 'start', '--cluster', clusterName()], {
        env: { PATH: emptyPath, HOME: os.homedir() },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Java 17 or newer is required');
      expect(result.stdout).toBe('');
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it('says the cluster is not running, and how to start it', async () => {
    // A cluster that exists (has a state file) but whose nodes are not running.
    const name = uniqueName('connect-stopped');
    throwAwayClusters.push(name);
    const basePort = await freeBasePort([0, 50, 51, 100]);
    fs.mkdirSync(path.join(LOCAL_CLUSTERS_DIR, name), { recursive: true });
    fs.writeFileSync(
      path.join(LOCAL_CLUSTERS_DIR, name, 'state.json'),
      JSON.stringify({
        cluster: name,
        kafkaVersion: '4.4.0',
        clusterId: 'AAAAAAAAAAAAAAAAAAAAAA',
        nodeCount: 1,
        basePort,
        secure: false,
        jmx: false,
        createdAt: new Date().toISOString(),
      }),
    );
    const result = await runLocalKafkaCli(['connect', 'start', '--cluster', name]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Cluster '${name}' is not running; start it first with \`npm run kafka -- start --cluster ${name}\`.`,
    );
  });

  it('says there is no such cluster (exit 3)', async () => {
    const name = uniqueName('connect-unknown');
    const result = await runLocalKafkaCli(['connect', 'start', '--cluster', name]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`No local Kafka cluster named '${name}'`);
  });
});
