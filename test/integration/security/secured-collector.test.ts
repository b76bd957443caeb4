/**
 * The cluster collector over the secure local cluster's listeners: SASL_SSL with each mechanism
 * and mTLS report the cluster (`up` 1, its broker, a topic); a wrong password, an untrusted CA,
 * a missing client certificate and plaintext to a TLS port each read `up` 0 with one line naming
 * the cause, counted by error type, and no secret anywhere in what the collector says.
 */
import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClusterCollector, type ClusterSnapshot } from '../../../src';
import { unsecuredJwt } from '../../../scripts/local-kafka/unsecured-jwt';
import { randomTopic } from '../../support/names';
import {
  ACCESS_NAMES,
  accesses,
  leakedSecrets,
  securedCluster,
  type Access,
} from '../../support/secured-access';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { createTopicAndWait } from '../../support/topics';

const settings = securedCluster();
const { ways, secrets } = accesses(settings);
const topic = randomTopic('secured-collector');
let harness: TelemetryHarness | undefined;
let collector: KafkaClusterCollector | undefined;

beforeAll(async () => {
  // Created over mTLS: the secure listeners are the only ones these tests rely on.
  const admin = new Kafka({
    clientId: 'secured-collector-setup',
    brokers: ways.mtls.brokers,
    ...ways.mtls.kafkaJs,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await createTopicAndWait(admin, { topic, numPartitions: 2 });
  await admin.disconnect();
});
afterEach(async () => {
  await collector?.stop();
  await harness?.shutdown();
  collector = undefined;
  harness = undefined;
});

/** A collector with these connection settings, its lines, and one collection's telemetry. */
async function collectOnce(brokers: string[], security: Pick<KafkaConfig, 'ssl' | 'sasl'>) {
  const lines: string[] = [];
  const telemetry = (harness = new TelemetryHarness());
  collector = new KafkaClusterCollector({
    brokers,
    ...security,
    topics: [topic],
    minSnapshotIntervalMs: 60_000,
    snapshotTimeoutMs: 5_000,
    warn: (line) => lines.push(line),
  }).start();
  telemetry.produceFrom(collector);
  const up = (await telemetry.points('kafka.collector.up'))[0]?.value;
  const snapshot = await collector.snapshot();
  const errors = await telemetry.points('kafka.collector.scrape.errors');
  return { up, snapshot, errors, lines, telemetry };
}

/** Everything the collector said or exported, as text, for the leak check. */
function everythingSaid(snapshot: ClusterSnapshot, lines: string[], exported: unknown): string {
  return JSON.stringify({ snapshot, lines, exported });
}

describe.each(ACCESS_NAMES)('the cluster collector over %s', (name) => {
  it('reports the cluster: up 1, its broker, the topic', async () => {
    const access: Access = ways[name];
    const { up, snapshot, lines, telemetry } = await collectOnce(access.brokers, access.kafkaJs);
    expect(snapshot.errors).toEqual([]);
    expect(up).toBe(1);
    expect(snapshot.brokers.map((b) => `${b.host}:${b.port}`)).toEqual(access.brokers);
    expect(snapshot.topics.map((t) => [t.name, t.partitions.length])).toEqual([[topic, 2]]);
    expect(lines).toEqual([]);
    const exported = await telemetry.points('kafka.topic.partitions');
    expect(leakedSecrets(everythingSaid(snapshot, lines, exported), secrets)).toEqual([]);
  });
});

describe('the cluster collector whose OAUTHBEARER token expired', () => {
  it('recovers with the next snapshot once the provider hands out a valid token', async () => {
    const ca = readFileSync(settings.caFile, 'utf8');
    let token = unsecuredJwt(settings.oauthbearer.principal, 3600, Date.now() - 7_200_000);
    const lines: string[] = [];
    collector = new KafkaClusterCollector({
      brokers: settings.saslSslBrokers,
      ssl: { ca: [ca] },
      sasl: {
        mechanism: 'oauthbearer',
        oauthBearerProvider: () => Promise.resolve({ value: token }),
      },
      minSnapshotIntervalMs: 0,
      warn: (line) => lines.push(line),
    }).start();
    expect((await collector.snapshot()).errors.map((e) => e.errorType)).toEqual(['authentication']);
    token = unsecuredJwt(settings.oauthbearer.principal, 3600);
    const recovered = await collector.snapshot();
    expect(recovered.errors).toEqual([]);
    expect(recovered.complete).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('complete again');
  });
});

describe('the cluster collector refused by a secure listener', () => {
  const ca = readFileSync(settings.caFile, 'utf8');
  const untrustedCa = readFileSync(settings.untrustedCaFile, 'utf8');
  const wrongPassword = 'not-the-password-0123456789';
  // Issued two hours ago for one hour.
  const expiredToken = unsecuredJwt(settings.oauthbearer.principal, 3600, Date.now() - 7_200_000);
  const cases: {
    name: string;
    brokers: string[];
    security: Pick<KafkaConfig, 'ssl' | 'sasl'>;
    errorType: string;
    says: RegExp;
  }[] = [
    {
      name: 'a wrong SCRAM password',
      brokers: settings.saslSslBrokers,
      security: {
        ssl: { ca: [ca] },
        sasl: {
          mechanism: 'scram-sha-512',
          username: settings.scramSha512.username,
          password: wrongPassword,
        },
      },
      errorType: 'authentication',
      says: /SASL SCRAM SHA512 authentication failed/,
    },
    {
      name: 'a wrong PLAIN password',
      brokers: settings.saslSslBrokers,
      security: {
        ssl: { ca: [ca] },
        sasl: { mechanism: 'plain', username: settings.plain.username, password: wrongPassword },
      },
      errorType: 'authentication',
      says: /SASL PLAIN authentication failed/,
    },
    {
      name: 'an expired OAUTHBEARER token',
      brokers: settings.saslSslBrokers,
      security: {
        ssl: { ca: [ca] },
        sasl: {
          mechanism: 'oauthbearer',
          oauthBearerProvider: () => Promise.resolve({ value: expiredToken }),
        },
      },
      errorType: 'authentication',
      says: /an expired or invalid token/,
    },
    {
      name: 'an untrusted CA',
      brokers: settings.mtlsBrokers,
      security: { ssl: { ca: [untrustedCa] } },
      errorType: 'tls',
      says: /self-signed certificate in certificate chain/,
    },
    {
      name: 'no client certificate on the mTLS listener',
      brokers: settings.mtlsBrokers,
      security: { ssl: { ca: [ca] } },
      errorType: 'tls',
      says: /certificate/,
    },
    {
      name: 'plaintext to the TLS listener',
      brokers: settings.mtlsBrokers,
      security: {},
      errorType: 'tls',
      says: /the broker answered with TLS: the listener expects TLS/,
    },
  ];

  it.each(cases)(
    '$name: up 0, one line naming the cause ($errorType), no secret',
    async ({ brokers, security, errorType, says }) => {
      const { up, snapshot, errors, lines } = await collectOnce(brokers, security);
      expect(up).toBe(0);
      expect(snapshot.errors.map((e) => [e.phase, e.errorType])).toEqual([['metadata', errorType]]);
      expect(snapshot.errors[0]!.message).toMatch(says);
      expect(errors.map((p) => p.attributes)).toEqual([
        { phase: 'metadata', 'error.type': errorType },
      ]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`(metadata, ${errorType}:`);
      expect(lines[0]).toMatch(says);
      expect(
        leakedSecrets(everythingSaid(snapshot, lines, errors), [...secrets, wrongPassword]),
      ).toEqual([]);
    },
  );
});
