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

  it('adds SASL_SSL and mTLS client listeners to a secure node, keeping PLAINTEXT inside', () => {
    const pairs = serverProperties({
      nodeId: 2,
      nodeCount: 3,
      basePort: 31092,
      dataDir: '/d/node-2/data',
      security: {
        keystoreFile: '/c/security/broker-keystore.pem',
        truststoreFile: '/c/security/ca.pem',
        plainUsers: [{ username: 'alice', password: 'p4ss-w0rd_x' }],
      },
    });
    const props = asMap(pairs);
    const plain = asMap(
      serverProperties({ nodeId: 2, nodeCount: 3, basePort: 31092, dataDir: '/d/node-2/data' }),
    );
    expect(props.get('listeners')).toBe(
      'PLAINTEXT://127.0.0.1:31093,CONTROLLER://127.0.0.1:31193,' +
        'SASL_SSL://127.0.0.1:31103,MTLS://127.0.0.1:31113',
    );
    expect(props.get('advertised.listeners')).toBe(
      'PLAINTEXT://127.0.0.1:31093,SASL_SSL://127.0.0.1:31103,MTLS://127.0.0.1:31113',
    );
    expect(props.get('listener.security.protocol.map')).toBe(
      'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,MTLS:SSL',
    );
    // Brokers, controllers and the launcher's readiness checks stay on PLAINTEXT.
    expect(props.get('inter.broker.listener.name')).toBe('PLAINTEXT');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
    const added = Object.fromEntries(pairs.filter(([key]) => !plain.has(key)));
    expect(added).toEqual({
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': '/c/security/broker-keystore.pem',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': '/c/security/ca.pem',
      'listener.name.mtls.ssl.client.auth': 'required',
      'listener.name.sasl_ssl.sasl.enabled.mechanisms':
        'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
      'listener.name.sasl_ssl.plain.sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="p4ss-w0rd_x";',
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.oauthbearer.sasl.jaas.config':
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
    });
    // PEM stores take no store password, and the PKCS#8 key is not encrypted.
    expect([...props.keys()].filter((k) => k.includes('password'))).toEqual([]);
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
