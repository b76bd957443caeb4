import { describe, expect, it } from 'vitest';
import {
  renderLogConfig,
  renderProperties,
  serverProperties,
} from '../../../scripts/local-kafka/node-config';

function asMap(pairs: Array<[string, string]>): Map<string, string> {
  const map = new Map(pairs);
  expect(map.size, 'no key is written twice').toBe(pairs.length);
  return map;
}

describe('serverProperties', () => {
  it('renders a single combined node with replication factors of 1', () => {
    const props = asMap(
      serverProperties({ nodeId: 1, nodeCount: 1, basePort: 19092, dataDir: '/d/node-1/data' }),
    );
    expect(Object.fromEntries(props)).toEqual({
      'node.id': '1',
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:19192',
      'controller.listener.names': 'CONTROLLER',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19192',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name': 'PLAINTEXT',
      'log.dirs': '/d/node-1/data',
      'num.partitions': '1',
      'default.replication.factor': '1',
      'min.insync.replicas': '1',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'auto.create.topics.enable': 'true',
      'group.initial.rebalance.delay.ms': '0',
    });
  });

  it('renders node 2 of three with all voters, RF 3 and min ISR 2', () => {
    const props = asMap(
      serverProperties({ nodeId: 2, nodeCount: 3, basePort: 39092, dataDir: '/d/node-2/data' }),
    );
    expect(props.get('node.id')).toBe('2');
    expect(props.get('controller.quorum.voters')).toBe(
      '1@127.0.0.1:39192,2@127.0.0.1:39193,3@127.0.0.1:39194',
    );
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:39093,CONTROLLER://127.0.0.1:39193');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:39093');
    expect(props.get('offsets.topic.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.replication.factor')).toBe('3');
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
  });

  it('writes a properties file with a comment header and one key=value per line', () => {
    const text = renderProperties(
      [
        ['a', '1'],
        ['b.c', 'x,y'],
      ],
      'header',
    );
    expect(text).toBe('# header\na=1\nb.c=x,y\n');
  });
});

describe('renderLogConfig', () => {
  it('logs INFO to stdout with log4j2 properties for Kafka 4.x', () => {
    const text = renderLogConfig('log4j2');
    expect(text).toContain('appender.stdout.type = Console');
    expect(text).toContain('rootLogger.level = INFO');
    expect(text).toContain('rootLogger.appenderRef.stdout.ref = STDOUT');
    expect(text).toContain('shutdownHook = disable');
    expect(text).not.toContain('log4j.rootLogger');
  });

  it('logs INFO to stdout with log4j 1 properties for Kafka 3.9', () => {
    const text = renderLogConfig('reload4j');
    expect(text).toContain('log4j.rootLogger=INFO, stdout');
    expect(text).toContain('log4j.appender.stdout=org.apache.log4j.ConsoleAppender');
    expect(text).not.toContain('appender.stdout.type');
  });
});
