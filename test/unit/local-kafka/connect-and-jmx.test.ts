/**
 * The pure parts of the launcher's Connect worker and --jmx: command line, Connect version table,
 * worker properties, Jolokia agent flag, and the pom that resolves the worker's jars.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../../../scripts/local-kafka/args';
import { connectWorkerProperties, connectPorts } from '../../../scripts/local-kafka/connect-config';
import { UsageError } from '../../../scripts/local-kafka/errors';
import { jolokiaAgentArg, jolokiaUrl } from '../../../scripts/local-kafka/jolokia-agent';
import { kafkaJvmArgs } from '../../../scripts/local-kafka/jvm-options';
import {
  connectVersionFor,
  loggingSetupFor,
  validateConnectVersion,
} from '../../../scripts/local-kafka/kafka-versions';
import { renderConnectPom } from '../../../scripts/local-kafka/maven-pom';

function usageMessage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`parseArgs(${argv.join(' ')}) did not throw`);
}

describe('connect and --jmx on the command line', () => {
  it('parses connect start, stop and status with their options', () => {
    expect(parseArgs(['connect', 'start'])).toEqual({
      kind: 'connect-start',
      cluster: undefined,
      connectVersion: undefined,
      timeoutMs: undefined,
    });
    expect(
      parseArgs([
        'connect',
        'start',
        '--cluster',
        'test',
        '--connect-version=3.9.2',
        '--timeout',
        '60',
      ]),
    ).toEqual({
      kind: 'connect-start',
      cluster: 'test',
      connectVersion: '3.9.2',
      timeoutMs: 60_000,
    });
    expect(parseArgs(['connect', 'stop', '--cluster', 'x'])).toEqual({
      kind: 'connect-stop',
      cluster: 'x',
    });
    expect(parseArgs(['connect', 'status'])).toEqual({
      kind: 'connect-status',
      cluster: undefined,
    });
  });

  it('takes --jmx on start only, and leaves it to the existing cluster when absent', () => {
    const jmx = (argv: string[]): boolean | undefined => {
      const command = parseArgs(argv);
      return command.kind === 'start' ? command.jmx : undefined;
    };
    expect(jmx(['start', '--jmx', '--nodes', '3'])).toBe(true);
    expect(jmx(['start'])).toBeUndefined();
    expect(USAGE).toContain('--jmx');
    expect(USAGE).toContain('BASE+60+N-1');
    expect(USAGE).toContain('KAFKA_JOLOKIA_URLS');
    expect(USAGE).toContain('connect start');
    expect(USAGE).toContain('KAFKA_CONNECT_URL=http://127.0.0.1:BASE+50');
    expect(USAGE).toContain('--connect-version V');
  });

  it.each([
    [['connect'], "Unknown connect command ''"],
    [['connect', 'restart'], "Unknown connect command 'restart'"],
    [['connect', 'start', '--nodes', '3'], "'connect start' does not take --nodes"],
    [
      ['connect', 'stop', '--connect-version', '4.3.1'],
      "'connect stop' does not take --connect-version",
    ],
    [['connect', 'status', '--jmx'], "'connect status' does not take --jmx"],
    [['connect', 'start', '--connect-version', '2.8.0'], "Unsupported --connect-version '2.8.0'"],
    [['connect', 'start', '--connect-version', 'latest'], "Unsupported --connect-version 'latest'"],
    [['start', '--jmx=yes'], '--jmx takes no value'],
    [['stop', '--jmx'], "'stop' does not take --jmx"],
    [['start', '--node', '2', '--jmx'], 'cannot be combined with --jmx'],
    [['start', '--connect-version', '4.3.1'], "'start' does not take --connect-version"],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(usageMessage(argv)).toContain(message);
  });
});

describe('Connect versions', () => {
  it('runs the newest published Connect when the broker version has none on Maven Central', () => {
    expect(connectVersionFor('4.4.0')).toBe('4.3.1');
    expect(connectVersionFor('3.9.2')).toBe('3.9.2');
    // Versions outside the table run Connect of the same release.
    expect(connectVersionFor('4.1.1')).toBe('4.1.1');
  });

  it('accepts any 3.x or 4.x release as an override', () => {
    expect(validateConnectVersion('4.3.1')).toBe('4.3.1');
    expect(validateConnectVersion('3.7.2')).toBe('3.7.2');
    expect(() => validateConnectVersion('4.3')).toThrow(UsageError);
  });
});

describe('worker configuration', () => {
  it('puts REST at BASE+50 and Jolokia at BASE+51', () => {
    expect(connectPorts(29092)).toEqual({ restPort: 29142, jolokiaPort: 29143 });
  });

  it('runs one distributed worker on loopback with string converters and 1 s offset flushes', () => {
    const props = new Map(
      connectWorkerProperties({
        brokers: ['127.0.0.1:39092', '127.0.0.1:39093', '127.0.0.1:39094'],
        nodeCount: 3,
        restPort: 39142,
      }),
    );
    expect(props.get('bootstrap.servers')).toBe('127.0.0.1:39092,127.0.0.1:39093,127.0.0.1:39094');
    expect(props.get('group.id')).toBe('kafka-otel-connect');
    expect(props.get('key.converter')).toBe('org.apache.kafka.connect.storage.StringConverter');
    expect(props.get('value.converter')).toBe('org.apache.kafka.connect.storage.StringConverter');
    expect(props.get('config.storage.topic')).toBe('_connect-configs');
    expect(props.get('offset.storage.topic')).toBe('_connect-offsets');
    expect(props.get('status.storage.topic')).toBe('_connect-status');
    expect(props.get('offset.flush.interval.ms')).toBe('1000');
    expect(props.get('listeners')).toBe('http://127.0.0.1:39142');
    expect(props.get('rest.advertised.host.name')).toBe('127.0.0.1');
    expect(props.get('rest.advertised.port')).toBe('39142');
  });

  it('never asks for more replicas of the internal topics than the cluster has nodes', () => {
    for (const [nodeCount, expected] of [
      [1, '1'],
      [3, '3'],
    ] as const) {
      const props = new Map(
        connectWorkerProperties({ brokers: ['127.0.0.1:1'], nodeCount, restPort: 2 }),
      );
      for (const topic of ['config', 'offset', 'status']) {
        expect(props.get(`${topic}.storage.replication.factor`)).toBe(expected);
      }
    }
  });
});

describe('Jolokia agent', () => {
  it('binds the agent to loopback with discovery off, ahead of the classpath', () => {
    const flag = jolokiaAgentArg('/cache/jolokia.jar', 39152);
    expect(flag).toBe(
      '-javaagent:/cache/jolokia.jar=host=127.0.0.1,port=39152,discoveryEnabled=false',
    );
    expect(jolokiaUrl(39152)).toBe('http://127.0.0.1:39152/jolokia/');
    const args = kafkaJvmArgs({
      libsDir: '/libs',
      logging: loggingSetupFor('4.3.1'),
      logConfigPath: '/c/log4j2.properties',
      heapMb: 256,
      javaAgents: [flag],
    });
    expect(args[0]).toBe('-Xmx256m');
    expect(args.slice(-4)).toEqual([
      '-Dlog4j2.configurationFile=file:/c/log4j2.properties',
      flag,
      '-cp',
      '/libs/*',
    ]);
  });
});

describe('renderConnectPom', () => {
  it('resolves connect-runtime, -file, -json and -basic-auth-extension of one version with log4j2', () => {
    const pom = renderConnectPom('4.3.1', loggingSetupFor('4.3.1'));
    const artifacts = [
      'connect-runtime',
      'connect-file',
      'connect-json',
      'connect-basic-auth-extension',
    ];
    for (const artifact of artifacts) {
      expect(pom).toContain(`<artifactId>${artifact}</artifactId>\n      <version>4.3.1</version>`);
    }
    expect(pom.match(/<version>4\.3\.1<\/version>/g)).toHaveLength(artifacts.length);
    expect(pom).toContain('<artifactId>log4j-slf4j-impl</artifactId>');
    expect(pom).not.toContain('kafka_2.13');
  });

  it('uses reload4j for a 3.x worker', () => {
    const pom = renderConnectPom('3.9.2', loggingSetupFor('3.9.2'));
    expect(pom).toContain('<artifactId>slf4j-reload4j</artifactId>');
    expect(pom).not.toContain('log4j-core');
  });
});
