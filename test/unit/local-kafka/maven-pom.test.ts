import { describe, expect, it } from 'vitest';
import { newClusterId } from '../../../scripts/local-kafka/cluster-id';
import {
  DEFAULT_KAFKA_VERSION,
  loggingSetupFor,
  resolveKafkaVersion,
} from '../../../scripts/local-kafka/kafka-versions';
import { renderPom } from '../../../scripts/local-kafka/maven-pom';

describe('renderPom', () => {
  it('resolves Kafka 4.x with log4j2 and the slf4j 1.x binding, minus kafka-tools-api', () => {
    const pom = renderPom('4.4.0', loggingSetupFor('4.4.0'));
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId>\n      <version>4.4.0</version>');
    expect(pom).toContain('<artifactId>log4j-core</artifactId>');
    expect(pom).toContain('<artifactId>log4j-slf4j-impl</artifactId>');
    expect(pom).not.toContain('log4j-slf4j2-impl');
    expect(pom).toMatch(/<artifactId>log4j-bom<\/artifactId>[\s\S]*<scope>import<\/scope>/);
    expect(pom).toMatch(
      /<exclusion>\s*<groupId>org.apache.kafka<\/groupId>\s*<artifactId>kafka-tools-api/,
    );
    expect(pom).not.toContain('reload4j');
  });

  it('switches to log4j-slf4j2-impl when Kafka brings slf4j 2', () => {
    expect(renderPom('4.9.0', loggingSetupFor('4.9.0', 2))).toContain('log4j-slf4j2-impl');
  });

  it('resolves Kafka 3.9 with reload4j and slf4j-reload4j and no log4j2', () => {
    const pom = renderPom('3.9.2', loggingSetupFor('3.9.2'));
    expect(pom).toContain('<artifactId>reload4j</artifactId>');
    expect(pom).toContain('<artifactId>slf4j-reload4j</artifactId>');
    expect(pom).not.toContain('log4j-core');
    expect(pom).not.toContain('<exclusion>');
  });
});

describe('versions and ids', () => {
  it('defaults to the newest 4.x', () => {
    expect(resolveKafkaVersion(undefined)).toBe(DEFAULT_KAFKA_VERSION);
    expect(DEFAULT_KAFKA_VERSION).toMatch(/^4\.\d+\.\d+$/);
  });

  it('makes 22-character base64url cluster ids that never start with a dash', () => {
    const ids = Array.from({ length: 500 }, () => newClusterId());
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
