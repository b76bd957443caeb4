import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli';
import { parseCollectConfig, type CollectConfig } from '../../src/cli/collect-config';
import { FLAGS_BY_NAME } from '../../src/cli/collect-flags';
import { collectUsage } from '../../src/cli/collect-usage';
import {
  BROKERS as BROKERS_SETTING,
  CLIENT_ID,
  COLLECTOR_SETTINGS,
  GROUPS,
  INCLUDE_INTERNAL_TOPICS,
  INTERVAL,
  MAX_SERIES,
  MIN_SNAPSHOT_INTERVAL,
  OTLP_ENDPOINT,
  OTLP_PROTOCOL,
  PARTITION_METRICS,
  PROMETHEUS_HOST,
  PROMETHEUS_PORT,
  SASL_MECHANISM,
  SASL_OAUTHBEARER_PROVIDER,
  SASL_PASSWORD,
  SASL_PASSWORD_ENV,
  SASL_USERNAME,
  TIME_LAG_READS,
  LAG_STATUS_WINDOW,
  TLS,
  TLS_CA,
  TLS_CERT,
  TLS_KEY,
  TLS_KEY_PASSWORD,
  TLS_KEY_PASSWORD_ENV,
  TOPICS,
} from '../../src/config/collector-settings';
import {
  BROKER_JMX_URLS,
  CONNECT_JOLOKIA_URL,
  CONNECT_PASSWORD,
  CONNECT_PASSWORD_ENV,
  CONNECT_TLS_CA,
  CONNECT_URL,
  CONNECT_USERNAME,
  JOLOKIA_PASSWORD,
  JOLOKIA_PASSWORD_ENV,
  JOLOKIA_TLS_CA,
  JOLOKIA_USERNAME,
} from '../../src/config/connect-jmx-settings';
import { settingVariables, type Setting } from '../../src/config/setting';
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

/**
 * One setting given with a value other than its default, and where that value shows in the
 * configuration. A switch is given by its flag alone, or its variable at the value the flag
 * sets; any other setting by `text`.
 */
interface SettingCase {
  text?: string;
  /** Other settings it needs to take effect, as flags. */
  needs?: string[];
  /** Variables it needs besides its own (the one a `*-env` setting names). */
  env?: Record<string, string>;
  /** Reads the value from the configuration (a provider's token is read by calling it). */
  read: (config: CollectConfig) => unknown;
  expected: unknown;
}

type OauthBearerSasl = Extract<SASLOptions, { mechanism: 'oauthbearer' }>;

/** A case for every setting of `kafka-otel collect`, by its canonical variable. */
function settingCases(files: SecurityFiles): Record<string, SettingCase> {
  const pem = (file: string) => readFileSync(file, 'utf8');
  const plainLogin = ['--sasl-mechanism', 'plain', '--sasl-username', 'u'];
  const clientIdentity = { cert: pem(files.cert), key: pem(files.key) };
  const encryptedIdentity = ['--tls-cert', files.cert, '--tls-key', files.encryptedKey];
  const decryptedIdentity = {
    cert: pem(files.cert),
    key: pem(files.encryptedKey),
    passphrase: KEY_PASSPHRASE,
  };
  return {
    [BROKERS_SETTING.env]: {
      text: 'k9:9099,[::1]:9092',
      read: (c) => c.collector.brokers,
      expected: ['k9:9099', '[::1]:9092'],
    },
    [PROMETHEUS_PORT.env]: {
      text: '9308',
      read: (c) => c.output,
      expected: { kind: 'prometheus', host: undefined, port: 9308 },
    },
    [PROMETHEUS_HOST.env]: {
      text: '127.0.0.1',
      read: (c) => c.output,
      expected: { kind: 'prometheus', host: '127.0.0.1', port: 9464 },
    },
    [OTLP_ENDPOINT.env]: {
      text: 'http://otel:4318',
      read: (c) => c.output,
      expected: { kind: 'otlp', protocol: 'http/protobuf', url: 'http://otel:4318/v1/metrics' },
    },
    [OTLP_PROTOCOL.env]: {
      text: 'grpc',
      needs: ['--otlp-endpoint', 'http://otel:4317'],
      read: (c) => c.output,
      expected: { kind: 'otlp', protocol: 'grpc', url: 'http://otel:4317/' },
    },
    [INTERVAL.env]: {
      text: '1m30s',
      // Prometheus scrapes within one interval share a snapshot.
      read: (c) => [c.intervalMs, c.collector.minSnapshotIntervalMs],
      expected: [90_000, 90_000],
    },
    [MIN_SNAPSHOT_INTERVAL.env]: {
      text: '3s',
      read: (c) => c.collector.minSnapshotIntervalMs,
      expected: 3_000,
    },
    [TOPICS.env]: { text: 'orders.*', read: (c) => c.collector.topics, expected: /orders.*/ },
    [GROUPS.env]: {
      text: 'billing|settlement',
      read: (c) => c.collector.groups,
      expected: /billing|settlement/,
    },
    [INCLUDE_INTERNAL_TOPICS.env]: {
      read: (c) => c.collector.includeInternalTopics,
      expected: true,
    },
    [PARTITION_METRICS.env]: { read: (c) => c.collector.perPartitionMetrics, expected: false },
    [MAX_SERIES.env]: { text: '20000', read: (c) => c.collector.maxSeries, expected: 20_000 },
    [TIME_LAG_READS.env]: {
      text: '1234',
      read: (c) => c.collector.timeLagReadLimit,
      expected: 1_234,
    },
    [LAG_STATUS_WINDOW.env]: {
      text: '4',
      read: (c) => c.collector.lagStatusWindow,
      expected: 4,
    },
    [CLIENT_ID.env]: {
      text: 'exporter-1',
      read: (c) => c.collector.clientId,
      expected: 'exporter-1',
    },
    [SASL_MECHANISM.env]: {
      text: 'SCRAM-SHA-256',
      needs: ['--sasl-username', 'u', '--sasl-password-env', 'PW'],
      env: { PW: 'pw' },
      read: (c) => c.collector.sasl,
      expected: { mechanism: 'scram-sha-256', username: 'u', password: 'pw' },
    },
    [SASL_USERNAME.env]: {
      text: 'exporter',
      needs: ['--sasl-mechanism', 'plain', '--sasl-password-env', 'PW'],
      env: { PW: 'pw' },
      read: (c) => c.collector.sasl,
      expected: { mechanism: 'plain', username: 'exporter', password: 'pw' },
    },
    [SASL_PASSWORD.env]: {
      text: 's3cret',
      needs: plainLogin,
      read: (c) => c.collector.sasl,
      expected: { mechanism: 'plain', username: 'u', password: 's3cret' },
    },
    [SASL_PASSWORD_ENV.env]: {
      text: 'MY_PW',
      needs: plainLogin,
      env: { MY_PW: 'from-my-pw' },
      read: (c) => c.collector.sasl,
      expected: { mechanism: 'plain', username: 'u', password: 'from-my-pw' },
    },
    [SASL_OAUTHBEARER_PROVIDER.env]: {
      text: files.providers['named.cjs'],
      needs: ['--sasl-mechanism', 'oauthbearer'],
      // The provider that module exports, called: its token.
      read: async (c) => {
        const sasl = c.collector.sasl as OauthBearerSasl;
        return [sasl.mechanism, await sasl.oauthBearerProvider()];
      },
      expected: ['oauthbearer', { value: TOKEN, extensions: { logicalCluster: 'lc-1' } }],
    },
    [TLS.env]: { read: (c) => c.collector.ssl, expected: true },
    [TLS_CA.env]: {
      text: files.ca,
      read: (c) => c.collector.ssl,
      expected: { ca: [pem(files.ca)] },
    },
    [TLS_CERT.env]: {
      text: files.cert,
      needs: ['--tls-key', files.key],
      read: (c) => c.collector.ssl,
      expected: clientIdentity,
    },
    [TLS_KEY.env]: {
      text: files.key,
      needs: ['--tls-cert', files.cert],
      read: (c) => c.collector.ssl,
      expected: clientIdentity,
    },
    [TLS_KEY_PASSWORD.env]: {
      text: KEY_PASSPHRASE,
      needs: encryptedIdentity,
      read: (c) => c.collector.ssl,
      expected: decryptedIdentity,
    },
    [TLS_KEY_PASSWORD_ENV.env]: {
      text: 'KEY_PW',
      needs: encryptedIdentity,
      env: { KEY_PW: KEY_PASSPHRASE },
      read: (c) => c.collector.ssl,
      expected: decryptedIdentity,
    },
    [CONNECT_URL.env]: {
      text: 'http://connect:8083',
      read: (c) => c.connect?.url,
      expected: 'http://connect:8083/',
    },
    [CONNECT_USERNAME.env]: {
      text: 'ops',
      needs: connectAt,
      env: { [CONNECT_PASSWORD.env]: 'pw' },
      read: connectLogin,
      expected: ['ops', 'pw'],
    },
    [CONNECT_PASSWORD.env]: {
      text: 'pw',
      needs: [...connectAt, '--connect-username', 'ops'],
      read: connectLogin,
      expected: ['ops', 'pw'],
    },
    [CONNECT_PASSWORD_ENV.env]: {
      text: 'MY_CONNECT_PW',
      needs: [...connectAt, '--connect-username', 'ops'],
      env: { MY_CONNECT_PW: 'from-my-var' },
      read: connectLogin,
      expected: ['ops', 'from-my-var'],
    },
    [CONNECT_TLS_CA.env]: {
      text: files.ca,
      needs: ['--connect-url', 'https://connect:8443'],
      read: (c) => c.connect?.tls,
      expected: { ca: [pem(files.ca)] },
    },
    [CONNECT_JOLOKIA_URL.env]: {
      text: 'http://connect:8778/jolokia/',
      needs: connectAt,
      read: (c) => c.connect?.jolokiaUrl,
      expected: 'http://connect:8778/jolokia/',
    },
    [BROKER_JMX_URLS.env]: {
      text: 'http://k1:8778/jolokia/, http://k2:8778/jolokia/',
      read: (c) => c.brokerJmx?.endpoints,
      expected: ['http://k1:8778/jolokia/', 'http://k2:8778/jolokia/'],
    },
    [JOLOKIA_USERNAME.env]: {
      text: 'jmx',
      needs: jmxAt,
      env: { [JOLOKIA_PASSWORD.env]: 'pw' },
      read: jolokiaLogin,
      expected: ['jmx', 'pw'],
    },
    [JOLOKIA_PASSWORD.env]: {
      text: 'pw',
      needs: [...jmxAt, '--jolokia-username', 'jmx'],
      read: jolokiaLogin,
      expected: ['jmx', 'pw'],
    },
    [JOLOKIA_PASSWORD_ENV.env]: {
      text: 'MY_JMX_PW',
      needs: [...jmxAt, '--jolokia-username', 'jmx'],
      env: { MY_JMX_PW: 'from-my-var' },
      read: jolokiaLogin,
      expected: ['jmx', 'from-my-var'],
    },
    [JOLOKIA_TLS_CA.env]: {
      text: files.ca,
      needs: ['--broker-jmx-urls', 'https://k1:8778/jolokia/'],
      read: (c) => c.brokerJmx?.tls,
      expected: { ca: [pem(files.ca)] },
    },
  };
}

const connectAt = ['--connect-url', 'http://connect:8083'];
const jmxAt = ['--broker-jmx-urls', 'http://k1:8778/jolokia/'];
const connectLogin = (c: CollectConfig) => [c.connect?.username, c.connect?.password];
const jolokiaLogin = (c: CollectConfig) => [c.brokerJmx?.username, c.brokerJmx?.password];

/** One way of giving a setting: its flag (both forms of a value flag), or one of its variables. */
interface Given {
  how: string;
  argv: string[];
  env: Record<string, string>;
}

/** Every way `kafka-otel collect` accepts `setting`, derived from the settings table. */
function waysToGive(setting: Setting, text: string | undefined): Given[] {
  const isSwitch = setting.sets !== undefined;
  const value = isSwitch ? String(setting.sets) : text;
  if (value === undefined) throw new Error(`the case of ${setting.env} has no text`);
  const ways: Given[] = [];
  if (setting.flag !== undefined && isSwitch) {
    ways.push({ how: `--${setting.flag}`, argv: [`--${setting.flag}`], env: {} });
  } else if (setting.flag !== undefined) {
    ways.push(
      { how: `--${setting.flag} VALUE`, argv: [`--${setting.flag}`, value], env: {} },
      { how: `--${setting.flag}=VALUE`, argv: [`--${setting.flag}=${value}`], env: {} },
    );
  }
  for (const variable of settingVariables(setting)) {
    ways.push({ how: variable, argv: [], env: { [variable]: value } });
  }
  return ways;
}

/** What `read` finds in the configuration of `argv` and `env`, or the refusal's message. */
async function readOrRefusal(
  read: SettingCase['read'],
  argv: string[],
  env: Record<string, string>,
): Promise<unknown> {
  try {
    return await read(parse(argv, env));
  } catch (error) {
    if ((error as Error).name !== 'UsageError') throw error;
    return `refused: ${(error as Error).message}`;
  }
}

describe('kafka-otel collect: every setting from its flag and from each of its variables', () => {
  let files: SecurityFiles;
  beforeAll(() => {
    files = writeSecurityFiles();
  });

  it('has a case for every setting and every flag, so a new one cannot go unread', () => {
    const covered = Object.keys(settingCases(files)).sort();
    expect(covered).toEqual(COLLECTOR_SETTINGS.map((s) => s.env).sort());
    // Every flag the parser accepts belongs to a setting of the table, hence to a case.
    expect([...FLAGS_BY_NAME.keys()].sort()).toEqual(
      COLLECTOR_SETTINGS.flatMap((s) => (s.flag === undefined ? [] : [s.flag])).sort(),
    );
  });

  it.each(
    COLLECTOR_SETTINGS.map((s) => [s.flag === undefined ? s.env : `--${s.flag}`, s] as const),
  )('reads %s from each place it can be given', async (_, setting) => {
    const cases = settingCases(files);
    const { text, needs = [], env = {}, read, expected } = cases[setting.env]!;
    // --brokers is required: every other setting is given with it.
    const brokers = setting === BROKERS_SETTING ? [] : BROKERS;
    const ways = waysToGive(setting, text);
    for (const way of ways) {
      const given = await readOrRefusal(read, [...brokers, ...needs, ...way.argv], {
        ...env,
        ...way.env,
      });
      expect(given, way.how).toEqual(expected);
    }
    // Not given, the configuration holds something else (or is refused): the value read
    // above came from the setting, not from a default.
    expect(await readOrRefusal(read, [...BROKERS, ...needs], env)).not.toEqual(expected);
  });
});

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

  it('puts every setting given at once in its own field: the whole configuration', () => {
    // Every setting that needs no file, each at a value no other field holds: a value that also
    // lands in another field, or a field left out, shows in the whole object.
    const config = parse(
      [
        '--brokers',
        '[::1]:9092',
        '--otlp-endpoint',
        'http://otel:4318',
        '--otlp-protocol',
        'http/json',
        '--interval',
        '20s',
        '--min-snapshot-interval',
        '3s',
        '--topics',
        'a',
        '--groups',
        'g',
        '--include-internal-topics',
        '--no-partition-metrics',
        '--max-series',
        '1000',
        '--time-lag-reads',
        '1234',
        '--lag-status-window',
        '4',
        '--client-id',
        'c',
        '--sasl-mechanism',
        'plain',
        '--sasl-username',
        'u',
        '--tls',
      ],
      { KAFKA_OTEL_COLLECT_SASL_PASSWORD: 'p' },
    );
    expect(config).toStrictEqual({
      collector: {
        brokers: ['[::1]:9092'],
        clientId: 'c',
        sasl: { mechanism: 'plain', username: 'u', password: 'p' },
        ssl: true,
        topics: /a/,
        groups: /g/,
        includeInternalTopics: true,
        perPartitionMetrics: false,
        // 80% of the interval, capped at the default deadline: 8 s.
        snapshotTimeoutMs: 8_000,
        minSnapshotIntervalMs: 3_000,
        maxSeries: 1000,
        timeLagReadLimit: 1234,
        lagStatusWindow: 4,
      },
      output: { kind: 'otlp', protocol: 'http/json', url: 'http://otel:4318/v1/metrics' },
      intervalMs: 20_000,
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

describe('kafka-otel collect: Kafka Connect and broker JMX', () => {
  it('collects neither unless asked, and gives both the cluster snapshot timing', () => {
    expect(parse(BROKERS)).not.toHaveProperty('connect');
    expect(parse(BROKERS)).not.toHaveProperty('brokerJmx');
    const config = parse(
      [
        ...BROKERS,
        '--interval',
        '10s',
        '--connect-url',
        'http://connect:8083',
        '--connect-jolokia-url',
        'http://connect:8778/jolokia/',
        '--broker-jmx-urls',
        'http://k1:8778/jolokia/',
        '--jolokia-username',
        'jmx',
      ],
      { [JOLOKIA_PASSWORD.env]: 'jmx-pw' },
    );
    expect([config.connect, config.brokerJmx]).toEqual([
      {
        url: 'http://connect:8083/',
        jolokiaUrl: 'http://connect:8778/jolokia/',
        jolokiaUsername: 'jmx',
        jolokiaPassword: 'jmx-pw',
        snapshotTimeoutMs: 8_000,
        minSnapshotIntervalMs: 10_000,
      },
      {
        endpoints: ['http://k1:8778/jolokia/'],
        username: 'jmx',
        password: 'jmx-pw',
        snapshotTimeoutMs: 8_000,
        minSnapshotIntervalMs: 10_000,
      },
    ]);
  });

  it('refuses credentials in a URL without printing them', () => {
    const message = usageError([...BROKERS, '--connect-url', 'http://ops:hunter2@connect:8083']);
    expect(message).toBe(
      "invalid --connect-url 'http://connect:8083': the URL holds credentials; give the username in its own setting and the password in a variable",
    );
    const fromVariable = usageError(BROKERS, {
      KAFKA_OTEL_COLLECT_BROKER_JMX_URLS: 'http://k1:8778/ok,http://jmx:hunter2@k2:8778/',
    });
    expect(fromVariable).not.toContain('hunter2');
    // A password holding `/` (base64) parses as a host and a path: refused, and not printed.
    for (const url of ['http://ops:12/sec/ret@connect:8083', 'http://ops:s3c/ret@[bad']) {
      expect(usageError([...BROKERS, '--connect-url', url])).not.toMatch(/sec\/ret|s3c/);
    }
    expect(fromVariable).toContain('KAFKA_OTEL_COLLECT_BROKER_JMX_URLS');
  });

  it('refuses half a login and a worker Jolokia URL without the REST URL', () => {
    expect(usageError([...BROKERS, ...connectAt, '--connect-username', 'ops'])).toBe(
      '--connect-username needs a password in KAFKA_OTEL_COLLECT_CONNECT_PASSWORD (see --connect-password-env)',
    );
    expect(
      usageError(BROKERS, {
        [JOLOKIA_PASSWORD.env]: 'pw',
        KAFKA_OTEL_COLLECT_BROKER_JMX_URLS: 'http://k1:1/',
      }),
    ).toBe(
      'a password in KAFKA_OTEL_COLLECT_JOLOKIA_PASSWORD (see --jolokia-password-env) needs --jolokia-username',
    );
    expect(usageError([...BROKERS, '--connect-jolokia-url', 'http://connect:8778/jolokia/'])).toBe(
      "the Connect worker's Jolokia URL needs the Connect REST URL (--connect-url / KAFKA_OTEL_COLLECT_CONNECT_URL)",
    );
  });
});

describe('kafka-otel collect: client certificates and OAUTHBEARER', () => {
  let files: SecurityFiles;
  beforeAll(() => {
    files = writeSecurityFiles();
  });
  const pem = (file: string) => readFileSync(file, 'utf8');

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
