import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  readCollectorSettings,
  readConnectJmxSettings,
} from '../../../src/config/in-process-collector-options';
import { EnvReader } from '../../../src/config/env-reader';
import {
  KEY_PASSPHRASE,
  TOKEN,
  writeSecurityFiles,
  type SecurityFiles,
} from './support/security-files';

function read(env: Record<string, string>) {
  const warnings: string[] = [];
  const options = readCollectorSettings(new EnvReader(env, (m) => warnings.push(m)));
  return { options, warnings };
}

describe('in-process collector settings from KAFKA_OTEL_COLLECT_*', () => {
  it('starts no collector without KAFKA_OTEL_COLLECT_BROKERS', () => {
    expect(read({ KAFKA_OTEL_COLLECT_TOPICS: 'orders' })).toEqual({
      options: undefined,
      warnings: [],
    });
  });

  it('reads brokers, filters, switches, client id, SASL and TLS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-otel-ca-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    const { options, warnings } = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k1:9092,k2:9092',
      KAFKA_OTEL_COLLECT_TOPICS: 'orders.*',
      KAFKA_OTEL_COLLECT_GROUPS: 'billing',
      KAFKA_OTEL_COLLECT_INCLUDE_INTERNAL_TOPICS: 'true',
      KAFKA_OTEL_COLLECT_PARTITION_METRICS: 'false',
      KAFKA_OTEL_COLLECT_CLIENT_ID: 'payments-collector',
      KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_OTEL_COLLECT_SASL_USERNAME: 'u',
      KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'p',
      KAFKA_OTEL_COLLECT_TLS_CA: join(dir, 'ca.pem'),
    });
    expect(warnings).toEqual([]);
    expect(options).toEqual({
      brokers: ['k1:9092', 'k2:9092'],
      clientId: 'payments-collector',
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
      ssl: { ca: ['PEM'] },
      topics: /orders.*/,
      groups: /billing/,
      includeInternalTopics: true,
      perPartitionMetrics: false,
    });
  });

  it('does not start the collector when the brokers or SASL settings are unusable', () => {
    expect(read({ KAFKA_OTEL_COLLECT_BROKERS: 'kafka' })).toEqual({
      options: undefined,
      warnings: [
        "KAFKA_OTEL_COLLECT_BROKERS='kafka' is invalid: 'kafka' is not host:port (port 1-65535); the cluster collector is not started",
      ],
    });
    expect(
      read({ KAFKA_OTEL_COLLECT_BROKERS: 'k:1', KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'gssapi' }),
    ).toEqual({
      options: undefined,
      warnings: [
        "KAFKA_OTEL_COLLECT_SASL_MECHANISM='gssapi' is invalid: expected one of plain, scram-sha-256, scram-sha-512, oauthbearer; the cluster collector is not started",
      ],
    });
    expect(
      read({ KAFKA_OTEL_COLLECT_BROKERS: 'k:1', KAFKA_OTEL_COLLECT_SASL_USERNAME: 'u' }).warnings,
    ).toEqual([
      'KAFKA_OTEL_COLLECT_SASL_USERNAME needs KAFKA_OTEL_COLLECT_SASL_MECHANISM; the cluster collector is not started',
    ]);
  });

  it('falls back to all topics and groups for an invalid pattern', () => {
    const { options, warnings } = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k:1',
      KAFKA_OTEL_COLLECT_TOPICS: '(',
    });
    expect(options?.topics).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(
        /^KAFKA_OTEL_COLLECT_TOPICS='\(' is invalid: not a regular expression .*; collecting all topics$/,
      ),
    ]);
  });

  it('reads the KAFKA_OTEL_* aliases, the KAFKA_OTEL_COLLECT_* spelling winning when both are set', () => {
    const { options, warnings } = read({
      KAFKA_OTEL_BROKERS: 'alias:9092',
      KAFKA_OTEL_COLLECT_TOPICS: 'canonical',
      KAFKA_OTEL_TOPICS: 'alias',
      KAFKA_OTEL_PARTITION_METRICS: 'false',
      KAFKA_OTEL_SASL_MECHANISM: 'plain',
      KAFKA_OTEL_SASL_USERNAME: 'u',
      KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'canonical',
      KAFKA_OTEL_SASL_PASSWORD: 'alias',
    });
    expect(warnings).toEqual([]);
    expect(options).toEqual({
      brokers: ['alias:9092'],
      topics: /canonical/,
      includeInternalTopics: false,
      perPartitionMetrics: false,
      sasl: { mechanism: 'plain', username: 'u', password: 'canonical' },
    });
  });

  it('names the variable it read in a warning, alias or not', () => {
    expect(read({ KAFKA_OTEL_BROKERS: '::1:9092' }).warnings).toEqual([
      "KAFKA_OTEL_BROKERS='::1:9092' is invalid: '::1:9092' is not host:port (port 1-65535): write an IPv6 address in brackets, as in [::1]:9092; the cluster collector is not started",
    ]);
    expect(
      read({ KAFKA_OTEL_COLLECT_BROKERS: 'k:1', KAFKA_OTEL_SASL_USERNAME: 'u' }).warnings,
    ).toEqual([
      'KAFKA_OTEL_SASL_USERNAME needs KAFKA_OTEL_COLLECT_SASL_MECHANISM; the cluster collector is not started',
    ]);
  });

  it('reads the snapshot sharing window (0: never share) and the series limit', () => {
    expect(
      read({
        KAFKA_OTEL_COLLECT_BROKERS: '[::1]:9092',
        KAFKA_OTEL_COLLECT_MIN_SNAPSHOT_INTERVAL: '0',
        KAFKA_OTEL_COLLECT_MAX_SERIES: '100000',
      }).options,
    ).toMatchObject({ brokers: ['[::1]:9092'], minSnapshotIntervalMs: 0, maxSeries: 100_000 });
    const { options, warnings } = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k:1',
      KAFKA_OTEL_COLLECT_MIN_SNAPSHOT_INTERVAL: '5',
      KAFKA_OTEL_COLLECT_MAX_SERIES: 'lots',
    });
    expect(options?.minSnapshotIntervalMs).toBeUndefined();
    expect(options?.maxSeries).toBeUndefined();
    expect(warnings).toEqual([
      "KAFKA_OTEL_COLLECT_MIN_SNAPSHOT_INTERVAL='5' is invalid: expected a duration such as 500ms, 15s, 1m or 1m30s; using the collector's default",
      "KAFKA_OTEL_COLLECT_MAX_SERIES='lots' is invalid: expected a whole number greater than 0; using the collector's default",
    ]);
  });
});

describe('in-process collector: client certificates and OAUTHBEARER', () => {
  let files: SecurityFiles;
  beforeAll(() => {
    files = writeSecurityFiles();
  });
  const pem = (file: string) => readFileSync(file, 'utf8');
  const NOT_STARTED = '; the cluster collector is not started';

  it('reads the client certificate, its encrypted key and the passphrase', () => {
    const { options, warnings } = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k:1',
      KAFKA_OTEL_COLLECT_TLS_CERT: files.chain,
      KAFKA_OTEL_COLLECT_TLS_KEY: files.encryptedKey,
      KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD: KEY_PASSPHRASE,
    });
    expect(warnings).toEqual([]);
    expect(options?.ssl).toEqual({
      cert: pem(files.chain),
      key: pem(files.encryptedKey),
      passphrase: KEY_PASSPHRASE,
    });
  });

  it('reads the KAFKA_OTEL_TLS_* aliases', () => {
    const { options, warnings } = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k:1',
      KAFKA_OTEL_TLS_CA: files.ca,
      KAFKA_OTEL_TLS_CERT: files.cert,
      KAFKA_OTEL_TLS_KEY: files.legacyEncryptedKey,
      KAFKA_OTEL_TLS_KEY_PASSWORD: KEY_PASSPHRASE,
    });
    expect(warnings).toEqual([]);
    expect(options?.ssl).toEqual({
      ca: [pem(files.ca)],
      cert: pem(files.cert),
      key: pem(files.legacyEncryptedKey),
      passphrase: KEY_PASSPHRASE,
    });
  });

  it('loads the OAUTHBEARER token provider, an ES module too', async () => {
    const { options, warnings } = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k:1',
      KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'oauthbearer',
      KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER: files.providers['named.mjs'],
      KAFKA_OTEL_COLLECT_TLS: 'true',
    });
    expect(warnings).toEqual([]);
    expect(options?.ssl).toBe(true);
    const sasl = options?.sasl as Extract<SASLOptions, { mechanism: 'oauthbearer' }>;
    expect(sasl.mechanism).toBe('oauthbearer');
    expect(await sasl.oauthBearerProvider()).toEqual({ value: TOKEN });
  });

  it.each([
    [
      { KAFKA_OTEL_COLLECT_TLS_CERT: '/nonexistent/c.pem', KAFKA_OTEL_COLLECT_TLS_KEY: 'k.pem' },
      "cannot read KAFKA_OTEL_COLLECT_TLS_CERT file '/nonexistent/c.pem': no such file",
    ],
    [{ KAFKA_OTEL_TLS_KEY: 'k.pem' }, 'KAFKA_OTEL_TLS_KEY needs KAFKA_OTEL_COLLECT_TLS_CERT'],
    [
      { KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD: KEY_PASSPHRASE },
      'KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD needs KAFKA_OTEL_COLLECT_TLS_KEY',
    ],
    [
      { KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'oauthbearer' },
      'KAFKA_OTEL_COLLECT_SASL_MECHANISM=oauthbearer needs KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER',
    ],
    [
      {
        KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'oauthbearer',
        KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER: 'p.js',
        KAFKA_OTEL_SASL_PASSWORD: 'sasl-secret',
      },
      'KAFKA_OTEL_COLLECT_SASL_MECHANISM=oauthbearer takes no username or password (its token provider authenticates); remove KAFKA_OTEL_SASL_PASSWORD',
    ],
    [
      { KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER: 'p.js' },
      'KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER needs KAFKA_OTEL_COLLECT_SASL_MECHANISM=oauthbearer',
    ],
  ])('does not start the collector for %j, with one warning', (env, message) => {
    expect(read({ KAFKA_OTEL_COLLECT_BROKERS: 'k:1', ...env })).toEqual({
      options: undefined,
      warnings: [message + NOT_STARTED],
    });
  });

  it('does not start the collector for a key or provider it cannot use, and names no secret', () => {
    const wrongPassphrase = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k:1',
      KAFKA_OTEL_COLLECT_TLS_CERT: files.cert,
      KAFKA_OTEL_COLLECT_TLS_KEY: files.encryptedKey,
      KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD: 'wrong passphrase',
    });
    expect(wrongPassphrase).toEqual({
      options: undefined,
      warnings: [
        `KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD does not decrypt KAFKA_OTEL_COLLECT_TLS_KEY file '${files.encryptedKey}'${NOT_STARTED}`,
      ],
    });
    const brokenProvider = read({
      KAFKA_OTEL_COLLECT_BROKERS: 'k:1',
      KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'oauthbearer',
      KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER: files.providers['throws-on-load.cjs'],
    });
    expect(brokenProvider).toEqual({
      options: undefined,
      warnings: [
        `cannot load KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER '${files.providers['throws-on-load.cjs']}': cannot reach the vault${NOT_STARTED}`,
      ],
    });
    const keyContent = pem(files.encryptedKey).split('\n')[1]!;
    for (const warning of [...wrongPassphrase.warnings, ...brokenProvider.warnings]) {
      for (const secret of ['wrong passphrase', KEY_PASSPHRASE, keyContent, TOKEN]) {
        expect(warning).not.toContain(secret);
      }
    }
  });
});

function readConnectJmx(env: Record<string, string>) {
  const warnings: string[] = [];
  const endpoints = readConnectJmxSettings(new EnvReader(env, (m) => warnings.push(m)));
  return { endpoints, warnings };
}

describe('in-process Connect and JMX endpoints from KAFKA_OTEL_COLLECT_*', () => {
  it('reads none unless asked', () => {
    expect(readConnectJmx({ KAFKA_OTEL_COLLECT_BROKERS: 'k1:9092' })).toEqual({
      endpoints: {},
      warnings: [],
    });
  });

  it("reads the Connect REST and Jolokia URLs, the brokers' agents and both logins", () => {
    expect(
      readConnectJmx({
        KAFKA_OTEL_COLLECT_CONNECT_URL: 'https://connect:8443',
        KAFKA_OTEL_COLLECT_CONNECT_USERNAME: 'ops',
        KAFKA_OTEL_COLLECT_CONNECT_PASSWORD: 'ops-pw',
        KAFKA_OTEL_COLLECT_CONNECT_JOLOKIA_URL: 'http://connect:8778/jolokia/',
        KAFKA_OTEL_COLLECT_BROKER_JMX_URLS: 'http://k1:8778/jolokia/,http://k2:8778/jolokia/',
        KAFKA_OTEL_COLLECT_JOLOKIA_USERNAME: 'jmx',
        KAFKA_OTEL_COLLECT_JOLOKIA_PASSWORD: 'jmx-pw',
      }),
    ).toEqual({
      endpoints: {
        connect: {
          url: 'https://connect:8443/',
          username: 'ops',
          password: 'ops-pw',
          jolokiaUrl: 'http://connect:8778/jolokia/',
          jolokiaUsername: 'jmx',
          jolokiaPassword: 'jmx-pw',
        },
        brokerJmx: {
          endpoints: ['http://k1:8778/jolokia/', 'http://k2:8778/jolokia/'],
          username: 'jmx',
          password: 'jmx-pw',
        },
      },
      warnings: [],
    });
  });

  it('leaves out a source whose URL is unusable, with one warning that prints no password', () => {
    const { endpoints, warnings } = readConnectJmx({
      KAFKA_OTEL_COLLECT_CONNECT_URL: 'http://ops:hunter2@connect:8083',
      KAFKA_OTEL_COLLECT_BROKER_JMX_URLS: 'http://k1:8778/jolokia/',
    });
    expect(endpoints).toEqual({ brokerJmx: { endpoints: ['http://k1:8778/jolokia/'] } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('KAFKA_OTEL_COLLECT_CONNECT_URL');
    expect(warnings[0]).toContain('Kafka Connect is not collected');
    expect(warnings.join('\n')).not.toContain('hunter2');
  });

  it('collects neither Connect nor JMX for half a login, and says which', () => {
    const { endpoints, warnings } = readConnectJmx({
      KAFKA_OTEL_COLLECT_CONNECT_URL: 'http://connect:8083',
      KAFKA_OTEL_COLLECT_CONNECT_USERNAME: 'ops',
    });
    expect(endpoints).toEqual({});
    expect(warnings).toEqual([
      'KAFKA_OTEL_COLLECT_CONNECT_USERNAME needs KAFKA_OTEL_COLLECT_CONNECT_PASSWORD; Kafka Connect and broker JMX are not collected',
    ]);
  });
});
