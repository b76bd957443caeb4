import { describe, expect, it } from 'vitest';
import { parseCollectConfig, type CollectConfig } from '../../src/cli/collect-config';
import { collectUsage } from '../../src/cli/collect-usage';
import { COLLECTOR_SETTINGS } from '../../src/config/collector-settings';

const BROKERS = ['--brokers', 'k1:9092,k2:9093'];

function parse(argv: string[], env: Record<string, string> = {}): CollectConfig {
  const config = parseCollectConfig(argv, env);
  if (config === 'help') throw new Error('unexpected help');
  return config;
}

function usageError(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseCollectConfig(argv, env);
  } catch (error) {
    expect((error as Error).name).toBe('UsageError');
    return (error as Error).message;
  }
  throw new Error('no usage error');
}

describe('kafka-otel collect: flags and variables', () => {
  it('defaults to Prometheus on 9464, every 15s, all topics and groups', () => {
    const config = parse(BROKERS);
    expect(config.output).toEqual({ kind: 'prometheus', host: undefined, port: 9464 });
    expect(config.intervalMs).toBe(15_000);
    expect(config.collector).toEqual({
      brokers: ['k1:9092', 'k2:9093'],
      clientId: undefined,
      topics: undefined,
      groups: undefined,
      includeInternalTopics: false,
      perPartitionMetrics: true,
      snapshotTimeoutMs: 8_000,
      minSnapshotIntervalMs: 15_000,
    });
  });

  it('reads every option from its flag, in both --flag value and --flag=value forms', () => {
    const config = parse([
      '--brokers=k1:9092',
      '--prometheus-port',
      '9308',
      '--prometheus-host=127.0.0.1',
      '--interval',
      '1m30s',
      '--topics',
      'orders.*',
      '--groups=billing|settlement',
      '--include-internal-topics',
      '--no-partition-metrics',
      '--client-id',
      'exporter-1',
    ]);
    expect(config.output).toEqual({ kind: 'prometheus', host: '127.0.0.1', port: 9308 });
    expect(config.intervalMs).toBe(90_000);
    expect(config.collector).toMatchObject({
      brokers: ['k1:9092'],
      clientId: 'exporter-1',
      topics: /orders.*/,
      groups: /billing|settlement/,
      includeInternalTopics: true,
      perPartitionMetrics: false,
    });
  });

  it('reads every option from its KAFKA_OTEL_* variable', () => {
    const config = parse([], {
      KAFKA_OTEL_BROKERS: 'k1:9092',
      KAFKA_OTEL_PROMETHEUS_PORT: '9400',
      KAFKA_OTEL_PROMETHEUS_HOST: '::1',
      KAFKA_OTEL_INTERVAL: '30s',
      KAFKA_OTEL_TOPICS: 'a|b',
      KAFKA_OTEL_GROUPS: 'g',
      KAFKA_OTEL_INCLUDE_INTERNAL_TOPICS: 'true',
      KAFKA_OTEL_PARTITION_METRICS: 'false',
      KAFKA_OTEL_CLIENT_ID: 'env-client',
      KAFKA_OTEL_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_OTEL_SASL_USERNAME: 'exporter',
      KAFKA_OTEL_SASL_PASSWORD: 's3cret',
      KAFKA_OTEL_TLS: 'true',
    });
    expect(config.output).toEqual({ kind: 'prometheus', host: '::1', port: 9400 });
    expect(config.intervalMs).toBe(30_000);
    expect(config.collector).toMatchObject({
      brokers: ['k1:9092'],
      clientId: 'env-client',
      topics: /a|b/,
      groups: /g/,
      includeInternalTopics: true,
      perPartitionMetrics: false,
      sasl: { mechanism: 'scram-sha-512', username: 'exporter', password: 's3cret' },
      ssl: true,
    });
  });

  it('lets flags win over variables', () => {
    const config = parse(['--brokers', 'flag:1', '--interval', '2s', '--include-internal-topics'], {
      KAFKA_OTEL_BROKERS: 'env:2',
      KAFKA_OTEL_INTERVAL: 'nonsense',
      KAFKA_OTEL_INCLUDE_INTERNAL_TOPICS: 'false',
    });
    expect(config.collector.brokers).toEqual(['flag:1']);
    expect(config.intervalMs).toBe(2_000);
    expect(config.collector.includeInternalTopics).toBe(true);
  });

  it('pushes OTLP to --otlp-endpoint, appending /v1/metrics to a bare HTTP endpoint', () => {
    expect(parse([...BROKERS, '--otlp-endpoint', 'http://otel:4318']).output).toEqual({
      kind: 'otlp',
      protocol: 'http/protobuf',
      url: 'http://otel:4318/v1/metrics',
    });
    expect(parse([...BROKERS, '--otlp-endpoint', 'https://otel/custom/path']).output).toEqual({
      kind: 'otlp',
      protocol: 'http/protobuf',
      url: 'https://otel/custom/path',
    });
    expect(
      parse([...BROKERS, '--otlp-endpoint', 'http://otel:4317', '--otlp-protocol', 'grpc']).output,
    ).toEqual({ kind: 'otlp', protocol: 'grpc', url: 'http://otel:4317/' });
  });

  it('takes a fresh snapshot for each OTLP push, within the push interval', () => {
    const config = parse([...BROKERS, '--otlp-endpoint', 'http://otel:4318', '--interval', '5s']);
    expect(config.collector).toMatchObject({
      snapshotTimeoutMs: 4_000,
      minSnapshotIntervalMs: 2_500,
    });
  });

  it('lets the mode flag override the other mode variable', () => {
    expect(
      parse([...BROKERS, '--otlp-endpoint', 'http://otel:4318'], {
        KAFKA_OTEL_PROMETHEUS_PORT: '9464',
      }).output.kind,
    ).toBe('otlp');
    expect(
      parse([...BROKERS, '--prometheus-port', '9464'], {
        KAFKA_OTEL_OTLP_ENDPOINT: 'http://otel:4318',
      }).output.kind,
    ).toBe('prometheus');
  });

  it('reads the SASL password from the variable --sasl-password-env names', () => {
    const config = parse(
      [
        ...BROKERS,
        '--sasl-mechanism',
        'PLAIN',
        '--sasl-username',
        'u',
        '--sasl-password-env',
        'MY_PW',
      ],
      { MY_PW: 'pw', KAFKA_OTEL_SASL_PASSWORD: 'not this one' },
    );
    expect(config.collector.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'pw' });
    // A password left in the environment without a mechanism is not a mistake.
    expect(parse(BROKERS, { KAFKA_OTEL_SASL_PASSWORD: 'pw' }).collector.sasl).toBeUndefined();
  });

  it('reads the KAFKA_OTEL_COLLECT_* spelling of every variable', () => {
    const config = parse([], {
      KAFKA_OTEL_COLLECT_BROKERS: '[::1]:9092',
      KAFKA_OTEL_COLLECT_OTLP_ENDPOINT: 'http://otel:4318',
      KAFKA_OTEL_COLLECT_OTLP_PROTOCOL: 'http/json',
      KAFKA_OTEL_COLLECT_INTERVAL: '20s',
      KAFKA_OTEL_COLLECT_TOPICS: 'a',
      KAFKA_OTEL_COLLECT_GROUPS: 'g',
      KAFKA_OTEL_COLLECT_INCLUDE_INTERNAL_TOPICS: 'true',
      KAFKA_OTEL_COLLECT_PARTITION_METRICS: 'false',
      KAFKA_OTEL_COLLECT_CLIENT_ID: 'c',
      KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'plain',
      KAFKA_OTEL_COLLECT_SASL_USERNAME: 'u',
      KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'p',
      KAFKA_OTEL_COLLECT_TLS: 'true',
      KAFKA_OTEL_COLLECT_MAX_SERIES: '1000',
      KAFKA_OTEL_COLLECT_MIN_SNAPSHOT_INTERVAL: '3s',
    });
    expect(config.output).toEqual({
      kind: 'otlp',
      protocol: 'http/json',
      url: 'http://otel:4318/v1/metrics',
    });
    expect(config.intervalMs).toBe(20_000);
    expect(config.collector).toEqual({
      brokers: ['[::1]:9092'],
      clientId: 'c',
      topics: /a/,
      groups: /g/,
      includeInternalTopics: true,
      perPartitionMetrics: false,
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      ssl: true,
      snapshotTimeoutMs: 8_000,
      minSnapshotIntervalMs: 3_000,
      maxSeries: 1000,
    });
  });

  it('lets the KAFKA_OTEL_COLLECT_* spelling win over its KAFKA_OTEL_* alias', () => {
    const config = parse([], {
      KAFKA_OTEL_COLLECT_BROKERS: 'canonical:1',
      KAFKA_OTEL_BROKERS: 'alias:2',
      KAFKA_OTEL_COLLECT_INCLUDE_INTERNAL_TOPICS: 'false',
      KAFKA_OTEL_INCLUDE_INTERNAL_TOPICS: 'true',
      KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'plain',
      KAFKA_OTEL_COLLECT_SASL_USERNAME: 'u',
      KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'canonical',
      KAFKA_OTEL_SASL_PASSWORD: 'alias',
      // A blank canonical variable counts as unset: the alias applies.
      KAFKA_OTEL_COLLECT_CLIENT_ID: ' ',
      KAFKA_OTEL_CLIENT_ID: 'from-alias',
    });
    expect(config.collector).toMatchObject({
      brokers: ['canonical:1'],
      includeInternalTopics: false,
      sasl: { password: 'canonical' },
      clientId: 'from-alias',
    });
    // The alias is not even read then: its bad value is no error.
    expect(
      parse([], { KAFKA_OTEL_COLLECT_BROKERS: 'ok:1', KAFKA_OTEL_BROKERS: 'bad' }).collector
        .brokers,
    ).toEqual(['ok:1']);
  });

  it('takes --min-snapshot-interval over the derived window, 0 meaning never share', () => {
    expect(
      parse([...BROKERS, '--min-snapshot-interval', '0']).collector.minSnapshotIntervalMs,
    ).toBe(0);
    expect(
      parse([...BROKERS, '--min-snapshot-interval=0s', '--otlp-endpoint', 'http://otel:4318'])
        .collector.minSnapshotIntervalMs,
    ).toBe(0);
    expect(parse([...BROKERS, '--min-snapshot-interval', '2s']).collector).toMatchObject({
      snapshotTimeoutMs: 8_000,
      minSnapshotIntervalMs: 2_000,
    });
    expect(usageError([...BROKERS, '--min-snapshot-interval', '5'])).toBe(
      "invalid --min-snapshot-interval '5': expected a duration such as 500ms, 15s, 1m or 1m30s",
    );
  });

  it('passes --max-series through to the collector, a whole number > 0', () => {
    expect(parse([...BROKERS, '--max-series', '20000']).collector.maxSeries).toBe(20_000);
    expect(parse(BROKERS).collector.maxSeries).toBeUndefined();
    expect(usageError([...BROKERS, '--max-series', '0'])).toBe(
      "invalid --max-series '0': expected a whole number greater than 0",
    );
  });

  it('accepts bracketed IPv6 brokers and refuses unbracketed ones', () => {
    expect(parse(['--brokers', '[::1]:9092,k:1']).collector.brokers).toEqual(['[::1]:9092', 'k:1']);
    expect(usageError(['--brokers', '::1:9092'])).toBe(
      "invalid --brokers '::1:9092': '::1:9092' is not host:port (port 1-65535): write an IPv6 address in brackets, as in [::1]:9092",
    );
  });

  it('returns help for --help and -h, whatever else is given', () => {
    expect(parseCollectConfig(['--help'], {})).toBe('help');
    expect(parseCollectConfig(['--interval', 'bad', '-h'], {})).toBe('help');
  });

  it.each([
    [[], 'missing --brokers (or KAFKA_OTEL_COLLECT_BROKERS): HOST:PORT[,HOST:PORT]'],
    [['--bogus'], "unknown flag '--bogus'"],
    [['collect-more'], "unexpected argument 'collect-more'"],
    [[...BROKERS, '--brokers', 'k:1'], '--brokers is given twice'],
    [['--brokers'], '--brokers needs a value (HOST:PORT[,HOST:PORT])'],
    [['--brokers', '--tls'], '--brokers needs a value (HOST:PORT[,HOST:PORT])'],
    [['--brokers='], '--brokers needs a value (HOST:PORT[,HOST:PORT])'],
    [[...BROKERS, '--tls=yes'], '--tls takes no value'],
    [['--brokers', 'kafka'], "invalid --brokers 'kafka': 'kafka' is not host:port (port 1-65535)"],
    [
      ['--brokers', 'k:99999'],
      "invalid --brokers 'k:99999': 'k:99999' is not host:port (port 1-65535)",
    ],
    [
      [...BROKERS, '--interval', '15x'],
      "invalid --interval '15x': expected a duration such as 500ms, 15s, 1m or 1m30s",
    ],
    [
      [...BROKERS, '--interval', '15'],
      "invalid --interval '15': expected a duration such as 500ms, 15s, 1m or 1m30s",
    ],
    [[...BROKERS, '--interval', '500ms'], "invalid --interval '500ms': must be at least 1s"],
    [
      [...BROKERS, '--prometheus-port', '9464', '--otlp-endpoint', 'http://otel:4318'],
      '--prometheus-port and --otlp-endpoint exclude each other: serve Prometheus or push OTLP',
    ],
    [
      [...BROKERS, '--prometheus-port', 'http'],
      "invalid --prometheus-port 'http': expected a port number 0-65535",
    ],
    [
      [...BROKERS, '--prometheus-port', '65536'],
      "invalid --prometheus-port '65536': expected a port number 0-65535",
    ],
    [
      [...BROKERS, '--otlp-endpoint', 'otel:4318'],
      "invalid --otlp-endpoint 'otel:4318': expected an http:// or https:// URL",
    ],
    [
      [...BROKERS, '--otlp-endpoint', 'not a url'],
      "invalid --otlp-endpoint 'not a url': expected an absolute URL such as http://collector:4318",
    ],
    [
      [...BROKERS, '--otlp-endpoint', 'http://otel:4318', '--otlp-protocol', 'thrift'],
      "invalid --otlp-protocol 'thrift': expected one of http/protobuf, http/json, grpc",
    ],
    [[...BROKERS, '--otlp-protocol', 'grpc'], '--otlp-protocol needs --otlp-endpoint'],
    [
      [...BROKERS, '--otlp-endpoint', 'http://otel:4318', '--prometheus-host', '0.0.0.0'],
      '--prometheus-host needs Prometheus, not --otlp-endpoint',
    ],
    [
      [...BROKERS, '--topics', '(unclosed'],
      "invalid --topics '(unclosed': not a regular expression",
    ],
    [[...BROKERS, '--groups', '*'], "invalid --groups '*': not a regular expression"],
    [
      [...BROKERS, '--sasl-mechanism', 'kerberos'],
      "--sasl-mechanism='kerberos' is invalid: expected one of plain, scram-sha-256, scram-sha-512",
    ],
    [[...BROKERS, '--sasl-mechanism', 'plain'], '--sasl-mechanism needs --sasl-username'],
    [
      [...BROKERS, '--sasl-mechanism', 'plain', '--sasl-username', 'u'],
      '--sasl-mechanism needs a password in KAFKA_OTEL_COLLECT_SASL_PASSWORD (see --sasl-password-env)',
    ],
    [[...BROKERS, '--sasl-username', 'u'], '--sasl-username needs --sasl-mechanism'],
    [
      [...BROKERS, '--tls-ca', '/nonexistent/ca.pem'],
      "cannot read the CA file '/nonexistent/ca.pem'",
    ],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });

  it('names the variable when the bad value came from one', () => {
    expect(usageError([], { KAFKA_OTEL_BROKERS: 'nope' })).toBe(
      "invalid KAFKA_OTEL_BROKERS 'nope': 'nope' is not host:port (port 1-65535)",
    );
    expect(usageError(BROKERS, { KAFKA_OTEL_TLS: 'maybe' })).toBe(
      "invalid KAFKA_OTEL_TLS 'maybe': expected true or false",
    );
    expect(
      usageError(BROKERS, {
        KAFKA_OTEL_PROMETHEUS_PORT: '9464',
        KAFKA_OTEL_OTLP_ENDPOINT: 'http://otel:4318',
      }),
    ).toBe(
      'KAFKA_OTEL_PROMETHEUS_PORT and KAFKA_OTEL_OTLP_ENDPOINT exclude each other: serve Prometheus or push OTLP',
    );
  });

  it('documents every setting with its flag, variable and alias in --help', () => {
    const usage = collectUsage();
    for (const setting of COLLECTOR_SETTINGS) {
      if (setting.flag !== undefined) expect(usage).toContain(`--${setting.flag}`);
      expect(usage).toContain(setting.env);
      for (const alias of setting.aliases) expect(usage).toContain(`alias ${alias}`);
    }
    expect(usage).toContain('KAFKA_OTEL_COLLECT_* wins over its\nKAFKA_OTEL_* alias');
    expect(usage).toContain('Exit codes: 0');
  });
});
