/**
 * `npm run kafka -- start --secure`: one throw-away secure cluster, started once through the CLI,
 * proven with a real KafkaJS client over SASL_SSL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512,
 * OAUTHBEARER) and mTLS, and refusing what it must refuse. Its passwords never reach the output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterStatus,
  startCluster,
  stopCluster,
  unsecuredJwt,
  type SecuredClusterSettings,
} from '../../scripts/local-kafka';
import { testProducerConfig } from '../support/kafka-client';
import { LOCAL_CLUSTERS_DIR, removeLocalCluster } from '../support/local-clusters';
import { brokersLine, runLocalKafkaCli, type CliResult } from '../support/local-kafka-cli';
import { randomGroup, randomTopic, uniqueName } from '../support/names';
import { freeBasePort } from '../support/ports';
import { ReceivedMessages } from '../support/received-messages';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';

const version = process.env.KAFKA_OTEL_KAFKA_VERSION?.trim();
const cluster = uniqueName('secure');
let base: number;
let started: CliResult;
let security: SecuredClusterSettings;
let plaintextBrokers: string[];

beforeAll(async () => {
  base = await freeBasePort([0, 10, 20, 100]);
  started = await runLocalKafkaCli([
    'start',
    '--secure',
    '--cluster',
    cluster,
    '--port',
    String(base),
    ...(version ? ['--kafka-version', version] : []),
  ]);
  if (started.code !== 0) {
    throw new Error(`start --secure failed (${started.code}):\n${started.stderr}`);
  }
  const status = clusterStatus({ cluster });
  if (!status?.security) throw new Error(`cluster '${cluster}' has no security settings`);
  security = status.security;
  plaintextBrokers = status.brokers;
}, 240_000);

afterAll(async () => {
  if (clusterStatus({ cluster })) await stopCluster({ cluster });
  removeLocalCluster(cluster);
}, 60_000);

/** `NAME=value` lines of a CLI output. */
function outputVariables(stdout: string): Map<string, string> {
  const lines = stdout.split('\n').filter((l) => /^[A-Z_]+=/.test(l));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function passwords(): string[] {
  return [security.plain.password, security.scramSha256.password, security.scramSha512.password];
}

function readPem(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

/**
 * A client of the secured listeners. Clients that are meant to be refused get no retries, so the
 * refusal is the first error rather than one after backoffs; the others retry like the suite's
 * (the idempotent producer insists on retries anyway).
 */
function secureKafka(
  config: Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>,
  expectRefusal: boolean,
): Kafka {
  return new Kafka({
    clientId: uniqueName('secure-test'),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5_000,
    requestTimeout: 10_000,
    retry: expectRefusal
      ? { retries: 0 }
      : { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    ...config,
  });
}

function saslKafka(
  sasl: SASLOptions,
  { caFile = security.caFile, expectRefusal = false } = {},
): Kafka {
  return secureKafka(
    { brokers: security.saslSslBrokers, ssl: { ca: [readPem(caFile)] }, sasl },
    expectRefusal,
  );
}

function mtlsKafka(withClientCertificate: boolean): Kafka {
  const identity = withClientCertificate
    ? { cert: readPem(security.clientCertFile), key: readPem(security.clientKeyFile) }
    : {};
  return secureKafka(
    { brokers: security.mtlsBrokers, ssl: { ca: [readPem(security.caFile)], ...identity } },
    !withClientCertificate,
  );
}

/** The reason a client cannot even connect an admin (and that it did not connect). */
async function connectFailure(kafka: Kafka): Promise<Error> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    return error as Error;
  } finally {
    await admin.disconnect();
  }
  throw new Error('the admin connected');
}

/**
 * Creates a topic, produces one record and consumes it back, every request over the client's
 * secured listener; returns the brokers Metadata named (host:port), to check they stay on it.
 */
async function roundTrip(kafka: Kafka, label: string): Promise<string[]> {
  const topic = randomTopic(`secure-${label}`);
  const admin = kafka.admin();
  const producer = kafka.producer(testProducerConfig);
  const consumer = kafka.consumer({
    groupId: randomGroup(`secure-${label}`),
    maxWaitTimeInMs: 250,
  });
  try {
    await admin.connect();
    const described = await admin.describeCluster();
    // Readiness of the new topic is checked over PLAINTEXT, which the helper's probes speak.
    await createTopicAndWait(admin, { topic, numPartitions: 1 }, { brokers: plaintextBrokers });
    await producer.connect();
    await producer.send({ topic, messages: [{ key: label, value: `hello over ${label}` }] });
    const received = new ReceivedMessages();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: received.onMessage });
    await waitFor(() => received.size === 1, {
      timeoutMs: 30_000,
      description: `the record produced over ${label} to come back`,
    });
    expect(received.distinct()).toEqual([
      { partition: 0, offset: '0', key: label, value: `hello over ${label}` },
    ]);
    return described.brokers.map((b) => `${b.host}:${b.port}`);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  }
}

describe('npm run kafka -- start --secure', () => {
  it('prints the secured listeners and client files after KAFKA_BROKERS, never a password', () => {
    const printed = outputVariables(started.stdout);
    const dir = path.join(LOCAL_CLUSTERS_DIR, cluster, 'security');
    expect([...printed.keys()]).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_SASL_SSL_BROKERS',
      'KAFKA_MTLS_BROKERS',
      'KAFKA_TLS_CA_FILE',
      'KAFKA_TLS_CERT_FILE',
      'KAFKA_TLS_KEY_FILE',
      'KAFKA_CLIENT_SETTINGS',
    ]);
    expect(brokersLine(started.stdout)).toEqual([`127.0.0.1:${base}`]);
    expect(printed.get('KAFKA_SASL_SSL_BROKERS')).toBe(`127.0.0.1:${base + 10}`);
    expect(printed.get('KAFKA_MTLS_BROKERS')).toBe(`127.0.0.1:${base + 20}`);
    expect(printed.get('KAFKA_TLS_CA_FILE')).toBe(path.join(dir, 'ca.pem'));
    expect(printed.get('KAFKA_TLS_CERT_FILE')).toBe(path.join(dir, 'client-cert.pem'));
    expect(printed.get('KAFKA_TLS_KEY_FILE')).toBe(path.join(dir, 'client-key.pem'));
    expect(printed.get('KAFKA_CLIENT_SETTINGS')).toBe(path.join(dir, 'client-settings.json'));

    for (const secret of passwords()) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(started.stdout).not.toContain(secret);
      expect(started.stderr).not.toContain(secret);
    }
    expect(new Set(passwords()).size).toBe(3);
  });

  it('keeps the passwords in client-settings.json (mode 0600), out of the node log', () => {
    expect(fs.statSync(security.settingsFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(fs.readFileSync(security.settingsFile, 'utf8')) as unknown;
    expect(saved).toEqual(security);
    const log = fs.readFileSync(
      path.join(LOCAL_CLUSTERS_DIR, cluster, 'node-1', 'kafka.log'),
      'utf8',
    );
    expect(log).toContain('Kafka Server started');
    for (const secret of passwords()) expect(log).not.toContain(secret);
  });

  it('status prints the same client lines and the secured ports, never a password', async () => {
    const status = await runLocalKafkaCli(['status', '--cluster', cluster]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`sasl_ssl 127.0.0.1:${base + 10}  mtls 127.0.0.1:${base + 20}`);
    expect(outputVariables(status.stdout)).toEqual(outputVariables(started.stdout));
    for (const secret of passwords()) {
      expect(status.stdout + status.stderr).not.toContain(secret);
    }
  });

  it('refuses to start the secure cluster as a plain one, suggesting --fresh', async () => {
    await expect(startCluster({ cluster, secure: false })).rejects.toThrow(
      /was created --secure \(SASL_SSL and mTLS listeners\), not as a plain cluster\. Add --fresh/,
    );
  });
});

describe('SASL_SSL with a real client', () => {
  const mechanisms: Array<[string, () => SASLOptions]> = [
    ['PLAIN', () => ({ mechanism: 'plain', ...security.plain })],
    ['SCRAM-SHA-256', () => ({ mechanism: 'scram-sha-256', ...security.scramSha256 })],
    ['SCRAM-SHA-512', () => ({ mechanism: 'scram-sha-512', ...security.scramSha512 })],
    [
      'OAUTHBEARER',
      () => ({
        mechanism: 'oauthbearer',
        oauthBearerProvider: () =>
          Promise.resolve({ value: unsecuredJwt(security.oauthbearer.principal, 600) }),
      }),
    ],
  ];

  it.each(mechanisms)(
    'produces and consumes with %s, Metadata naming SASL_SSL',
    async (name, sasl) => {
      const brokers = await roundTrip(saslKafka(sasl()), name.toLowerCase());
      expect(brokers).toEqual(security.saslSslBrokers);
    },
  );

  it('refuses a wrong PLAIN password', async () => {
    const error = await connectFailure(
      saslKafka(
        { mechanism: 'plain', username: security.plain.username, password: 'wrong' },
        { expectRefusal: true },
      ),
    );
    expect(error.message).toMatch(
      /SASL PLAIN authentication failed: .*Invalid username or password/,
    );
  });

  it('refuses a wrong SCRAM-SHA-512 password, and the SHA-256 user on SHA-512', async () => {
    const wrong = await connectFailure(
      saslKafka(
        {
          mechanism: 'scram-sha-512',
          username: security.scramSha512.username,
          password: `${security.scramSha512.password}x`,
        },
        { expectRefusal: true },
      ),
    );
    expect(wrong.message).toMatch(/invalid credentials with SASL mechanism SCRAM-SHA-512/);
    const otherMechanism = await connectFailure(
      saslKafka({ mechanism: 'scram-sha-512', ...security.scramSha256 }, { expectRefusal: true }),
    );
    expect(otherMechanism.message).toMatch(/invalid credentials with SASL mechanism SCRAM-SHA-512/);
  });

  it('is refused by a client that trusts only the untrusted CA', async () => {
    const error = await connectFailure(
      saslKafka(
        { mechanism: 'plain', ...security.plain },
        { caFile: security.untrustedCaFile, expectRefusal: true },
      ),
    );
    expect(error.message).toMatch(/self-signed certificate in certificate chain|unable to verify/);
  });
});

describe('mTLS with a real client', () => {
  it('produces and consumes with the client certificate, Metadata naming mTLS', async () => {
    const brokers = await roundTrip(mtlsKafka(true), 'mtls');
    expect(brokers).toEqual(security.mtlsBrokers);
  });

  it('refuses a client without a certificate', async () => {
    const error = await connectFailure(mtlsKafka(false));
    // Java rejects the empty certificate message with a TLS alert (bad_certificate on 17/21).
    expect(error.message).toMatch(/alert (bad certificate|certificate required)/);
  });
});
