import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli';
import { parseCollectConfig, type CollectConfig } from '../../src/cli/collect-config';
import { collectUsage } from '../../src/cli/collect-usage';
import { COLLECTOR_SETTINGS } from '../../src/config/collector-settings';
import { captureStream } from '../support/capture-stream';
import {
  KEY_PASSPHRASE,
  TOKEN,
  writeSecurityFiles,
  type SecurityFiles,
} from './config/support/security-files';

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
      "--sasl-mechanism='kerberos' is invalid: expected one of plain, scram-sha-256, scram-sha-512, oauthbearer",
    ],
    [[...BROKERS, '--sasl-mechanism', 'plain'], '--sasl-mechanism needs --sasl-username'],
    [
      [...BROKERS, '--sasl-mechanism', 'plain', '--sasl-username', 'u'],
      '--sasl-mechanism needs a password in KAFKA_OTEL_COLLECT_SASL_PASSWORD (see --sasl-password-env)',
    ],
    [[...BROKERS, '--sasl-username', 'u'], '--sasl-username needs --sasl-mechanism'],
    [
      [...BROKERS, '--tls-ca', '/nonexistent/ca.pem'],
      "cannot read --tls-ca file '/nonexistent/ca.pem': no such file",
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

describe('kafka-otel collect: client certificates and OAUTHBEARER', () => {
  let files: SecurityFiles;
  beforeAll(() => {
    files = writeSecurityFiles();
  });
  const pem = (file: string) => readFileSync(file, 'utf8');
  type OauthBearerSasl = Extract<SASLOptions, { mechanism: 'oauthbearer' }>;

  it('reads the client certificate and key from --tls-cert and --tls-key', () => {
    const config = parse([...BROKERS, '--tls-cert', files.chain, '--tls-key', files.key]);
    expect(config.collector.ssl).toEqual({ cert: pem(files.chain), key: pem(files.key) });
  });

  it('reads them from their variables and aliases, with the CA', () => {
    const expected = { ca: [pem(files.ca)], cert: pem(files.cert), key: pem(files.key) };
    expect(
      parse(BROKERS, {
        KAFKA_OTEL_COLLECT_TLS_CA: files.ca,
        KAFKA_OTEL_COLLECT_TLS_CERT: files.cert,
        KAFKA_OTEL_COLLECT_TLS_KEY: files.key,
      }).collector.ssl,
    ).toEqual(expected);
    expect(
      parse(BROKERS, {
        KAFKA_OTEL_TLS_CA: files.ca,
        KAFKA_OTEL_TLS_CERT: files.cert,
        KAFKA_OTEL_TLS_KEY: files.key,
      }).collector.ssl,
    ).toEqual(expected);
  });

  it('reads the key passphrase from its variable, its alias or the one --tls-key-password-env names', () => {
    const withKey = [...BROKERS, '--tls-cert', files.cert, '--tls-key', files.encryptedKey];
    const expected = {
      cert: pem(files.cert),
      key: pem(files.encryptedKey),
      passphrase: KEY_PASSPHRASE,
    };
    expect(
      parse(withKey, { KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD: KEY_PASSPHRASE }).collector.ssl,
    ).toEqual(expected);
    expect(parse(withKey, { KAFKA_OTEL_TLS_KEY_PASSWORD: KEY_PASSPHRASE }).collector.ssl).toEqual(
      expected,
    );
    expect(
      parse([...withKey, '--tls-key-password-env', 'KEY_PW'], {
        KEY_PW: KEY_PASSPHRASE,
        KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD: 'not this one',
      }).collector.ssl,
    ).toEqual(expected);
    // A passphrase left in the environment without a key is not a mistake.
    expect(
      parse(BROKERS, { KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD: KEY_PASSPHRASE }).collector.ssl,
    ).toBeUndefined();
  });

  it('refuses half a client identity, naming flags or variables as given', () => {
    expect(usageError([...BROKERS, '--tls-cert', files.cert])).toBe('--tls-cert needs --tls-key');
    expect(usageError(BROKERS, { KAFKA_OTEL_COLLECT_TLS_KEY: files.key })).toBe(
      'KAFKA_OTEL_COLLECT_TLS_KEY needs --tls-cert',
    );
  });

  it('names the setting and the file it cannot read or use', () => {
    expect(
      usageError([...BROKERS, '--tls-cert', '/nonexistent/c.pem', '--tls-key', files.key]),
    ).toBe("cannot read --tls-cert file '/nonexistent/c.pem': no such file");
    expect(
      usageError([...BROKERS, '--tls-cert', files.cert], { KAFKA_OTEL_TLS_KEY: files.otherKey }),
    ).toBe(
      `KAFKA_OTEL_TLS_KEY file '${files.otherKey}' is not the key of --tls-cert file '${files.cert}'`,
    );
    expect(
      usageError([...BROKERS, '--tls-cert', files.cert, '--tls-key', files.encryptedKey]),
    ).toBe(
      `--tls-key file '${files.encryptedKey}' is an encrypted key: it needs a passphrase in KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD (see --tls-key-password-env)`,
    );
  });

  it('loads the OAUTHBEARER token provider from --sasl-oauthbearer-provider or its variable', async () => {
    const fromFlag = parse([
      ...BROKERS,
      '--sasl-mechanism',
      'oauthbearer',
      '--sasl-oauthbearer-provider',
      files.providers['default.mjs'],
    ]).collector.sasl as OauthBearerSasl;
    expect(fromFlag.mechanism).toBe('oauthbearer');
    expect(await fromFlag.oauthBearerProvider()).toEqual({ value: TOKEN });
    const fromVariables = parse(BROKERS, {
      KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'OAUTHBEARER',
      KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER: files.providers['named.cjs'],
      // Left in the environment: OAUTHBEARER does not read it.
      KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'unused',
    }).collector;
    expect(fromVariables.sasl).toEqual({
      mechanism: 'oauthbearer',
      oauthBearerProvider: expect.any(Function),
    });
  });

  it.each([
    [
      ['--sasl-mechanism', 'oauthbearer'],
      '--sasl-mechanism=oauthbearer needs --sasl-oauthbearer-provider',
    ],
    [
      [
        '--sasl-mechanism',
        'oauthbearer',
        '--sasl-oauthbearer-provider',
        'p.js',
        '--sasl-username',
        'u',
      ],
      '--sasl-mechanism=oauthbearer takes no username or password (its token provider authenticates); remove --sasl-username',
    ],
    [
      ['--sasl-oauthbearer-provider', 'p.js'],
      '--sasl-oauthbearer-provider needs --sasl-mechanism=oauthbearer',
    ],
    [
      ['--sasl-mechanism', 'plain', '--sasl-username', 'u', '--sasl-oauthbearer-provider', 'p.js'],
      '--sasl-oauthbearer-provider needs --sasl-mechanism=oauthbearer, not plain',
    ],
  ])('refuses %j', (argv, message) => {
    expect(usageError([...BROKERS, ...argv], { KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'pw' })).toBe(
      message,
    );
  });

  it('refuses a provider module that does not load, naming the setting and the file', () => {
    const oauthbearer = [...BROKERS, '--sasl-mechanism', 'oauthbearer'];
    expect(
      usageError(oauthbearer, {
        KAFKA_OTEL_SASL_OAUTHBEARER_PROVIDER: files.providers['no-function.cjs'],
      }),
    ).toBe(
      `KAFKA_OTEL_SASL_OAUTHBEARER_PROVIDER '${files.providers['no-function.cjs']}' exports no function as default or as oauthBearerProvider`,
    );
    const missing = `${files.dir}/absent.mjs`;
    expect(usageError([...oauthbearer, '--sasl-oauthbearer-provider', missing])).toBe(
      `cannot load --sasl-oauthbearer-provider '${missing}': no such module (${missing})`,
    );
  });

  it('exits 2 for an unusable key or provider, and never prints a secret', async () => {
    const secrets = [
      KEY_PASSPHRASE,
      'wrong passphrase',
      'sasl-secret',
      TOKEN,
      pem(files.key).split('\n')[1]!,
    ];
    const runs: [string[], Record<string, string>][] = [
      [
        ['--tls-cert', files.cert, '--tls-key', files.encryptedKey],
        {
          KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD: 'wrong passphrase',
          KAFKA_OTEL_TLS_KEY_PASSWORD: KEY_PASSPHRASE,
        },
      ],
      [['--tls-cert', files.key, '--tls-key', files.key], {}],
      [['--tls-cert', files.cert, '--tls-key', files.cert], {}],
      [
        [
          '--sasl-mechanism',
          'oauthbearer',
          '--sasl-oauthbearer-provider',
          files.providers['no-function.cjs'],
        ],
        {},
      ],
      [
        [
          '--sasl-mechanism',
          'oauthbearer',
          '--sasl-oauthbearer-provider',
          files.providers['default.cjs'],
        ],
        { KAFKA_OTEL_COLLECT_SASL_USERNAME: 'u' },
      ],
      [['--sasl-mechanism', 'plain'], { KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'sasl-secret' }],
    ];
    for (const [argv, env] of runs) {
      const out = captureStream();
      const err = captureStream();
      const code = await main(['collect', ...BROKERS, ...argv], {
        stdout: out.stream,
        stderr: err.stream,
        env: { ...env, KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'sasl-secret' },
      });
      expect(code, err.text()).toBe(2);
      expect(err.text()).toMatch(/^kafka-otel collect: .+\nRun 'kafka-otel collect --help'/);
      for (const secret of secrets) expect(err.text() + out.text()).not.toContain(secret);
    }
    const usage = collectUsage();
    expect(usage).toContain('--tls-key-password-env VAR');
    expect(usage).toContain(
      'KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD (alias KAFKA_OTEL_TLS_KEY_PASSWORD)',
    );
    expect(usage).not.toContain('--tls-key-password ');
  });
});
