/**
 * The Connect collector's Basic auth and TLS options against a real secure worker
 * (`startConnect({ secure: true })`: https with a certificate the suite cluster's CA signed,
 * Kafka's Basic auth extension): the right credentials and CA read a FileStream source connector
 * RUNNING; a wrong password or no CA read `up` 0 with the reason and no secret in any message;
 * `kafka-otel collect` takes the same options as flags and a variable.
 *
 * The cluster has one worker (REST BASE+50), plain or secure. Integration files run one at a
 * time (vitest.config.mts: fileParallelism false), so this file swaps the plain worker, when one
 * runs, for the secure one and puts it back afterwards.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connectStatus,
  startConnect,
  stopConnect,
  type ConnectStartResult,
} from '../../../scripts/local-kafka';
import {
  KafkaConnectCollector,
  type KafkaConnectCollectorOptions,
} from '../../../src/collectors/connect/kafka-connect-collector';
import { ensureBuilt } from '../../support/built-package';
import { injectedBrokers } from '../../support/kafka-client';
import { runLocalKafkaCli } from '../../support/local-kafka-cli';
import { uniqueName } from '../../support/names';
import { waitFor } from '../../support/wait-for';
import { scrape, total } from '../register/support/prometheus-text';
import { servingUrl } from '../register/support/short-job';
import { SpawnedProcess } from '../register/support/spawned-process';

const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const CONNECTOR = 'kafka.connect.connector';
const STATE = 'kafka.connect.state';
const WAIT = { timeoutMs: 90_000, intervalMs: 500 };
/** Above WAIT, so that a wait that fails says what it waited for. */
const TEST_TIMEOUT_MS = 120_000;
/** Starting a worker (and putting the plain one back) on a busy machine: a bound, not a goal. */
const WORKER_TIMEOUT_MS = 240_000;

/** What KAFKA_CONNECT_CREDENTIALS names. */
interface CredentialsFile {
  url: string;
  username: string;
  password: string;
  caFile: string;
}

const brokers = injectedBrokers();
let cluster: string;
let worker: ConnectStartResult;
let credentials: CredentialsFile;
let ca: string;
let dir: string;
/** How the worker was found, so that afterAll leaves it that way. */
let found: { running: boolean; secure: boolean };
const connectors: string[] = [];
const collectors: KafkaConnectCollector[] = [];
const processes: SpawnedProcess[] = [];

beforeAll(async () => {
  const name = inject('localKafkaCluster');
  if (name === null || inject('kafkaSecurity') === null) {
    throw new Error('the secure Connect tests need a --secure scripts/local-kafka cluster');
  }
  cluster = name;
  const status = await connectStatus({ cluster });
  found = { running: status.running, secure: status.secure };
  if (status.running && !status.secure) await stopConnect({ cluster });
  worker = await startConnect({ cluster, secure: true });
  console.log(
    `[connect-secure] secure worker ${worker.alreadyRunning ? 'already running' : `started in ${(worker.elapsedMs / 1000).toFixed(1)} s`}`,
  );
  const file = worker.credentials?.credentialsFile;
  if (!file) throw new Error('startConnect({ secure: true }) returned no credentials file');
  credentials = JSON.parse(readFileSync(file, 'utf8')) as CredentialsFile;
  ca = readFileSync(credentials.caFile, 'utf8');
  dir = mkdtempSync(path.join(tmpdir(), 'kafka-otel-connect-secure-'));
}, WORKER_TIMEOUT_MS);

afterEach(async () => {
  processes.splice(0).forEach((p) => p.kill());
  await Promise.all(collectors.splice(0).map((c) => c.stop()));
  await Promise.all(
    connectors.splice(0).map((name) => call('DELETE', `/connectors/${name}`, [204, 404])),
  );
});

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (cluster === undefined || (found.running && found.secure)) return;
  await stopConnect({ cluster });
  if (found.running) await startConnect({ cluster });
}, WORKER_TIMEOUT_MS);

/** One request to the secure worker, trusting only the cluster's CA; `auth: false` sends none. */
function request(
  method: string,
  route: string,
  options: { body?: unknown; auth?: boolean } = {},
): Promise<{ status: number; text: string }> {
  const token = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.auth !== false) headers.authorization = `Basic ${token}`;
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${worker.url}${route}`,
      { method, headers, ca, agent: false, timeout: 30_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${route} timed out`)));
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

/** An authenticated request that must answer one of `expected`. */
async function call(method: string, route: string, expected: number[], body?: unknown) {
  const answer = await request(method, route, { body });
  if (!expected.includes(answer.status)) {
    throw new Error(`${method} ${route}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
  }
}

/** A FileStream source connector reading a file of three lines into a topic of its own. */
async function fileSource(): Promise<string> {
  const name = uniqueName('secure-source');
  const input = path.join(dir, `${name}.txt`);
  writeFileSync(input, 'one\ntwo\nthree\n');
  connectors.push(name);
  await call('PUT', `/connectors/${name}/config`, [201], {
    'connector.class': FILE_SOURCE,
    'tasks.max': '1',
    file: input,
    topic: uniqueName('connect-secure'),
  });
  return name;
}

/** A collector of the test's connectors; `read()` takes one snapshot and returns its points. */
function collectorOf(options: Partial<KafkaConnectCollectorOptions>, connectorNames: string[]) {
  const warnings: string[] = [];
  const collector = new KafkaConnectCollector({
    url: worker.url,
    connectors: connectorNames,
    minSnapshotIntervalMs: 0,
    warn: (message) => warnings.push(message),
    ...options,
  }).start();
  collectors.push(collector);
  const read = async () => {
    const { resourceMetrics } = await collector.collect();
    const points = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .flatMap((metric) =>
        metric.dataPoints.map((p) => ({
          name: metric.descriptor.name,
          attributes: p.attributes,
          value: p.value,
        })),
      );
    const matching = (name: string, where: Attributes = {}) =>
      points.filter(
        (p) => p.name === name && Object.entries(where).every(([k, v]) => p.attributes[k] === v),
      );
    return { points, matching };
  };
  return { collector, read, warnings };
}

/** Every form of a secret that must never appear in a message. */
function secretForms(username: string, password: string): string[] {
  return [password, Buffer.from(`${username}:${password}`).toString('base64')];
}

describe('Kafka Connect REST with TLS and Basic authentication (a real secure worker)', () => {
  it(
    'the launcher serves https with Basic auth, prints where the credentials are, never the password',
    async () => {
      const result = await runLocalKafkaCli(['connect', 'start', '--cluster', cluster, '--secure']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.split('\n')).toEqual([
        `KAFKA_CONNECT_URL=${worker.url}`,
        `KAFKA_CONNECT_JOLOKIA_URL=${worker.jolokiaUrl}`,
        `KAFKA_CONNECT_CREDENTIALS=${worker.credentials?.credentialsFile}`,
        '',
      ]);
      expect(worker.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      for (const secret of secretForms(credentials.username, credentials.password)) {
        expect(result.stdout + result.stderr).not.toContain(secret);
      }
      const file = worker.credentials?.credentialsFile ?? '';
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(Object.keys(credentials).sort()).toEqual(['caFile', 'password', 'url', 'username']);
      expect(credentials.url).toBe(worker.url);
      expect(credentials.password).toMatch(/^[A-Za-z0-9_-]{32}$/);

      // The REST API itself requires the credentials; the Jolokia agent stays plain http.
      expect((await request('GET', '/connectors', { auth: false })).status).toBe(401);
      expect((await request('GET', '/connectors')).status).toBe(200);
      const jolokia = await fetch(`${worker.jolokiaUrl}version`);
      expect(jolokia.status).toBe(200);

      // One worker per cluster: a plain one is refused while the secure one runs.
      await expect(startConnect({ cluster })).rejects.toThrow(
        `The Connect worker of '${cluster}' already runs secure (https, Basic auth); stop it first`,
      );
    },
    WORKER_TIMEOUT_MS,
  );

  it(
    'with the username, password and CA, reports up 1 and a FileStream source RUNNING',
    async () => {
      const name = await fileSource();
      const { read, warnings } = collectorOf(
        { username: credentials.username, password: credentials.password, tls: { ca } },
        [name],
      );
      // The REST API answers the first snapshot already; the task may take a few more to start.
      const first = await read();
      expect({ up: first.matching('kafka.connect.up').map((p) => p.value), warnings }).toEqual({
        up: [1],
        warnings: [],
      });
      const reading = await waitFor(
        async () => {
          const r = await read();
          const running = r.matching('kafka.connect.task.state', {
            [CONNECTOR]: name,
            [STATE]: 'RUNNING',
          });
          return running.length === 1 && running[0]!.value === 1 ? r : undefined;
        },
        { ...WAIT, description: `task 0 of ${name} RUNNING` },
      );
      expect(reading.matching('kafka.connect.up').map((p) => p.value)).toEqual([1]);
      const state = reading.matching('kafka.connect.connector.state', {
        [CONNECTOR]: name,
        'kafka.connect.connector.type': 'source',
      });
      expect(state.filter((p) => p.value === 1).map((p) => p.attributes[STATE])).toEqual([
        'RUNNING',
      ]);
      expect(warnings).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it('with a wrong password, reports up 0 and one warning naming HTTP 401, without secrets', async () => {
    const wrong = uniqueName('wrong-password');
    const { read, collector, warnings } = collectorOf(
      { username: credentials.username, password: wrong, tls: { ca } },
      [],
    );
    for (let i = 0; i < 2; i++) {
      const reading = await read();
      expect(reading.matching('kafka.connect.up').map((p) => p.value)).toEqual([0]);
      expect(reading.matching('kafka.connect.connector.state')).toEqual([]);
    }
    expect((await collector.snapshot()).errors.map((e) => e.errorType)).toEqual(['unauthorized']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 401');
    for (const secret of [
      ...secretForms(credentials.username, wrong),
      ...secretForms(credentials.username, credentials.password),
    ]) {
      expect(warnings[0]).not.toContain(secret);
    }
  });

  it('without the CA (system trust), reports up 0 with a tls scrape error', async () => {
    const { read, collector, warnings } = collectorOf(
      { username: credentials.username, password: credentials.password },
      [],
    );
    const reading = await read();
    expect(reading.matching('kafka.connect.up').map((p) => p.value)).toEqual([0]);
    expect(
      reading
        .matching('kafka.connect.scrape.errors', { phase: 'rest' })
        .map((p) => [p.attributes['error.type'], p.value]),
    ).toEqual([['tls', 1]]);
    expect((await collector.snapshot()).errors.map((e) => e.errorType)).toEqual(['tls']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('tls');
  });

  it(
    'kafka-otel collect takes --connect-username, --connect-tls-ca and the password variable',
    async () => {
      ensureBuilt();
      const cli = new SpawnedProcess(
        [
          'dist/cjs/cli.js',
          'collect',
          '--brokers',
          brokers.join(','),
          '--prometheus-host',
          '127.0.0.1',
          '--prometheus-port',
          '0',
          '--interval',
          '1s',
          '--connect-url',
          worker.url,
          '--connect-username',
          credentials.username,
          '--connect-tls-ca',
          credentials.caFile,
        ],
        { KAFKA_OTEL_COLLECT_CONNECT_PASSWORD: credentials.password },
      );
      processes.push(cli);
      const url = await waitFor(() => servingUrl(cli), { description: 'the serving line' });
      await waitFor(
        async () => {
          const up = total(await scrape(url), 'kafka_connect_up');
          // Thrown, so that a wait that fails shows the last value and what collect said.
          if (up !== 1) throw new Error(`kafka_connect_up is ${up}; stderr: ${cli.stderr}`);
          return true;
        },
        { ...WAIT, description: 'kafka_connect_up 1' },
      );
      for (const secret of secretForms(credentials.username, credentials.password)) {
        expect(cli.stdout + cli.stderr).not.toContain(secret);
      }
      expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    },
    WORKER_TIMEOUT_MS,
  );
});
