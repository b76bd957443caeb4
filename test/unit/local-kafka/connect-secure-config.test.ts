/**
 * The pure parts of `connect start --secure`: the command line, the https and Basic auth
 * properties of the worker, its JAAS login and users file.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../../../scripts/local-kafka/args';
import {
  CONNECT_BASIC_AUTH_EXTENSION,
  connectJaasConfig,
  connectRestUrl,
  connectUsersFile,
  connectWorkerProperties,
} from '../../../scripts/local-kafka/connect-config';
import { UsageError } from '../../../scripts/local-kafka/errors';

const PLAIN_INPUT = { brokers: ['127.0.0.1:29092'], nodeCount: 1, restPort: 29142 };
const SECURITY = { keystoreFile: '/c/connect/rest-keystore.p12', keystorePassword: 'k3y-pw' };

describe('connect start --secure on the command line', () => {
  it('takes --secure on connect start only', () => {
    expect(parseArgs(['connect', 'start', '--secure', '--cluster', 'test'])).toEqual({
      kind: 'connect-start',
      cluster: 'test',
      connectVersion: undefined,
      timeoutMs: undefined,
      secure: true,
    });
    const plain = parseArgs(['connect', 'start']);
    expect(plain.kind === 'connect-start' && plain.secure).toBeUndefined();
    for (const argv of [
      ['connect', 'stop', '--secure'],
      ['connect', 'status', '--secure'],
    ]) {
      expect(() => parseArgs(argv)).toThrow(UsageError);
      expect(() => parseArgs(argv)).toThrow(
        `'${argv.slice(0, 2).join(' ')}' does not take --secure`,
      );
    }
    expect(() => parseArgs(['connect', 'start', '--secure=yes'])).toThrow(
      '--secure takes no value',
    );
    expect(USAGE).toContain('KAFKA_CONNECT_URL=https://127.0.0.1:BASE+50');
    expect(USAGE).toContain('KAFKA_CONNECT_CREDENTIALS=FILE');
  });
});

describe('secure worker configuration', () => {
  it('serves https from a PKCS#12 key store and requires Basic auth through the extension', () => {
    const props = connectWorkerProperties({ ...PLAIN_INPUT, security: SECURITY });
    const secureKeys = props.filter(
      ([key]) => key.startsWith('listeners') || key.startsWith('rest.'),
    );
    expect(secureKeys).toEqual([
      ['listeners', 'https://127.0.0.1:29142'],
      ['rest.advertised.host.name', '127.0.0.1'],
      ['rest.advertised.port', '29142'],
      ['rest.advertised.listener', 'https'],
      ['listeners.https.ssl.keystore.type', 'PKCS12'],
      ['listeners.https.ssl.keystore.location', '/c/connect/rest-keystore.p12'],
      ['listeners.https.ssl.keystore.password', 'k3y-pw'],
      ['listeners.https.ssl.client.auth', 'none'],
      ['rest.extension.classes', CONNECT_BASIC_AUTH_EXTENSION],
    ]);
    expect(CONNECT_BASIC_AUTH_EXTENSION).toBe(
      'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension',
    );
    // Everything else (group, topics, converters, brokers) is the plain worker's.
    const rest = (p: Array<[string, string]>) =>
      p.filter(([key]) => !key.startsWith('listeners') && !key.startsWith('rest.'));
    expect(rest(props)).toEqual(rest(connectWorkerProperties(PLAIN_INPUT)));
  });

  it('keeps a plain worker on http without TLS or authentication settings', () => {
    const props = new Map(connectWorkerProperties(PLAIN_INPUT));
    expect(props.get('listeners')).toBe('http://127.0.0.1:29142');
    expect(props.get('rest.advertised.listener')).toBe('http');
    expect([...props.keys()].filter((k) => k.includes('ssl') || k.includes('extension'))).toEqual(
      [],
    );
    expect(connectRestUrl(29142)).toBe('http://127.0.0.1:29142');
    expect(connectRestUrl(29142, true)).toBe('https://127.0.0.1:29142');
  });

  it('logs users in through the KafkaConnect JAAS entry and a properties file', () => {
    expect(connectJaasConfig('/s/connect-rest-users.properties')).toBe(
      [
        'KafkaConnect {',
        '  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required',
        '  file="/s/connect-rest-users.properties";',
        '};',
        '',
      ].join('\n'),
    );
    // A quote or backslash in the path cannot end the JAAS string early.
    expect(connectJaasConfig('/odd "dir"\\x/users')).toContain('file="/odd \\"dir\\"\\\\x/users";');
    expect(connectUsersFile([{ username: 'kafka-otel-connect', password: 'p4ss_-w' }])).toBe(
      'kafka-otel-connect=p4ss_-w\n',
    );
  });
});
