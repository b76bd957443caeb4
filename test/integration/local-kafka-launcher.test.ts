/**
 * The launcher CLI as a user meets it: status of the suite's cluster, idempotent start, and the
 * failures that must be explained clearly and leave no JVM behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { requireJava } from '../../scripts/local-kafka/java-check';
import { kafkaJvmsUnder } from '../support/jvm-processes';
import { LOCAL_CLUSTERS_DIR, removeLocalCluster } from '../support/local-clusters';
import { brokersLine, runLocalKafkaCli } from '../support/local-kafka-cli';
import { uniqueName } from '../support/names';
import { freeBasePort, occupyPort } from '../support/ports';

const brokers = inject('kafkaBrokers');
const suiteCluster = inject('localKafkaCluster');
const suiteSecurity = inject('kafkaSecurity');

function suiteClusterName(): string {
  if (suiteCluster === null) {
    throw new Error(
      `KAFKA_BROKERS=${brokers.join(',')} is not served by a scripts/local-kafka cluster; ` +
        'start it with `npm run kafka -- start --cluster NAME` or unset KAFKA_BROKERS.',
    );
  }
  return suiteCluster;
}

/** Throw-away clusters and folders the failure tests create. */
const createdClusters: string[] = [];
const tempDirs: string[] = [];

function throwAwayCluster(prefix: string): string {
  const name = uniqueName(prefix);
  createdClusters.push(name);
  return name;
}

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const name of createdClusters) removeLocalCluster(name);
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run kafka -- status / start on the running suite cluster', () => {
  it('status lists the node up with its ports and prints the KAFKA_BROKERS line', async () => {
    const cluster = suiteClusterName();
    const result = await runLocalKafkaCli(['status', '--cluster', cluster]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [first] = brokers;
    const port = Number(first?.split(':')[1]);
    // A --secure cluster (the suite's own, see global-setup.ts) also lists its secured ports.
    const secured = suiteSecurity
      ? `  sasl_ssl 127\\.0\\.0\\.1:${port + 10}  mtls 127\\.0\\.0\\.1:${port + 20}`
      : '';
    expect(result.stdout).toMatch(
      new RegExp(
        `^  node 1  up    pid \\d+ +broker 127\\.0\\.0\\.1:${port}  controller 127\\.0\\.0\\.1:${port + 100}${secured}$`,
        'm',
      ),
    );
    const lines = result.stdout.split('\n');
    expect(lines).toContain(`KAFKA_BROKERS=${brokers.join(',')}`);
    if (suiteSecurity) {
      expect(lines).toContain(`KAFKA_SASL_SSL_BROKERS=${suiteSecurity.saslSslBrokers.join(',')}`);
      expect(lines).toContain(`KAFKA_CLIENT_SETTINGS=${suiteSecurity.settingsFile}`);
      expect(result.stdout).not.toContain(suiteSecurity.plain.password);
    } else {
      expect(result.stdout).not.toContain('KAFKA_SASL_SSL_BROKERS=');
    }
  });

  it('start of the running cluster only confirms it and prints the brokers again', async () => {
    const result = await runLocalKafkaCli(['start', '--cluster', suiteClusterName()]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('is already running');
    expect(brokersLine(result.stdout)).toEqual(brokers);
  });

  it('refuses to reuse the data with another node count and suggests --fresh', async () => {
    const result = await runLocalKafkaCli([
      'start',
      '--cluster',
      suiteClusterName(),
      '--nodes',
      '3',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('was created with 1 node(s), not 3');
    expect(result.stderr).toContain('--fresh');
    expect(brokersLine(result.stdout)).toBeUndefined();
  });

  it('reports an unknown cluster with exit code 3', async () => {
    const result = await runLocalKafkaCli(['status', '--cluster', uniqueName('missing')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/No local Kafka cluster named 'missing-.*'\. Create it with/);
  });
});

describe('npm run kafka -- start failures', () => {
  const version = process.env.KAFKA_OTEL_KAFKA_VERSION?.trim();
  const versionArgs = version ? ['--kafka-version', version] : [];

  it('names a taken port with its node and role, and starts no JVM', async () => {
    const held = await occupyPort();
    const cluster = throwAwayCluster('taken-port');
    try {
      const result = await runLocalKafkaCli([
        'start',
        '--cluster',
        cluster,
        '--port',
        String(held.port),
        ...versionArgs,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Port ${held.port} (node 1, broker listener) is already in use on 127.0.0.1.`,
      );
      expect(result.stderr).toContain('--port BASE');
      expect(brokersLine(result.stdout)).toBeUndefined();
    } finally {
      await held.close();
    }
    expect(kafkaJvmsUnder(path.join(LOCAL_CLUSTERS_DIR, cluster))).toEqual([]);
  });

  it('kills the node it launched when it does not come up in time, and shows its log', async () => {
    const cluster = throwAwayCluster('too-slow');
    const base = await freeBasePort();
    const result = await runLocalKafkaCli([
      'start',
      '--cluster',
      cluster,
      '--port',
      String(base),
      '--timeout',
      '1',
      ...versionArgs,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Kafka node 1 \(pid \d+\) did not start within 1 s\./);
    expect(result.stderr).toContain(`Last lines of ${path.join(LOCAL_CLUSTERS_DIR, cluster)}`);
    expect(result.stderr).toContain('killing the 1 node(s) this run launched');
    expect(kafkaJvmsUnder(path.join(LOCAL_CLUSTERS_DIR, cluster))).toEqual([]);
    const status = await runLocalKafkaCli(['status', '--cluster', cluster]);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/node 1 {2}down/);
  });

  it('explains that Java 17 is needed when there is no java at all', async () => {
    const cluster = throwAwayCluster('no-java');
    const result = await runLocalKafkaCli(['start', '--cluster', cluster], {
      env: { PATH: tempDir('empty-path-'), HOME: os.homedir() },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Java 17 or newer is required to run Kafka');
    expect(result.stderr).toContain('JAVA_HOME');
    expect(fs.existsSync(path.join(LOCAL_CLUSTERS_DIR, cluster))).toBe(false);
  });

  it('explains that Maven is needed when the jars are not cached yet', async () => {
    const java = await requireJava();
    const pathDir = tempDir('java-only-path-');
    fs.symlinkSync(fs.realpathSync(java.path), path.join(pathDir, 'java'));
    const emptyCache = tempDir('empty-cache-');
    const cluster = throwAwayCluster('no-maven');
    const result = await runLocalKafkaCli(['start', '--cluster', cluster, ...versionArgs], {
      env: { PATH: pathDir, HOME: os.homedir(), KAFKA_OTEL_CACHE_DIR: emptyCache },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Maven (`mvn`) is needed once to download the Kafka');
    expect(result.stderr).toContain(path.join(emptyCache, 'kafka'));
    expect(result.stderr).toContain('apt-get install maven');
    expect(fs.readdirSync(emptyCache)).toEqual([]);
    expect(fs.existsSync(path.join(LOCAL_CLUSTERS_DIR, cluster))).toBe(false);
  });
});
