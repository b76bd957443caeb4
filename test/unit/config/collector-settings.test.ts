import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCollectorSettings } from '../../../src/config/collector-settings';
import { EnvReader } from '../../../src/config/env-reader';

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
        "KAFKA_OTEL_COLLECT_SASL_MECHANISM='gssapi' is invalid: expected one of plain, scram-sha-256, scram-sha-512; the cluster collector is not started",
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
});
