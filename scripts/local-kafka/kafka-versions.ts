import { UsageError } from './errors';

/**
 * Kafka versions the launcher knows. Pinned rather than looked up at run time so that runs are
 * reproducible and CI cache keys stay stable: 4.4.0 was the newest 4.x and 3.9.2 the newest 3.9.x
 * in org/apache/kafka/kafka_2.13/maven-metadata.xml on Maven Central when this was written.
 */
export const DEFAULT_KAFKA_VERSION = '4.4.0';
export const KAFKA_3_9_VERSION = '3.9.2';

const ALIASES: Record<string, string> = {
  latest: DEFAULT_KAFKA_VERSION,
  '4': DEFAULT_KAFKA_VERSION,
  '4.x': DEFAULT_KAFKA_VERSION,
  '3.9': KAFKA_3_9_VERSION,
  '3.9.x': KAFKA_3_9_VERSION,
};

/**
 * Turns `--kafka-version` into a concrete release. Only 3.9.x and 4.x are accepted: both run
 * KRaft with a static `controller.quorum.voters`, and each line has one known logging setup.
 */
export function resolveKafkaVersion(input: string | undefined): string {
  if (input === undefined) return DEFAULT_KAFKA_VERSION;
  const alias = ALIASES[input.toLowerCase()];
  if (alias) return alias;
  if (/^(3\.9|4\.\d+)\.\d+$/.test(input)) return input;
  throw new UsageError(
    `Unsupported --kafka-version '${input}': use a 4.x or 3.9.x release such as ` +
      `${DEFAULT_KAFKA_VERSION} (default) or ${KAFKA_3_9_VERSION}, or one of ${Object.keys(ALIASES).join(', ')}.`,
  );
}

/**
 * The Kafka Connect release a cluster's worker runs: the cluster's own version when connect-file
 * of that version is on Maven Central, else the newest published release below it. connect-file
 * 4.4.0 was never published (maven-metadata.xml of org/apache/kafka/connect-file ends at 4.3.1),
 * while connect-runtime 4.3.1 talks to 4.4.0 brokers like any client one minor version behind.
 */
const CONNECT_VERSION_FOR_KAFKA: Record<string, string> = {
  '4.4.0': '4.3.1',
  '3.9.2': '3.9.2',
};

export function connectVersionFor(kafkaVersion: string): string {
  return CONNECT_VERSION_FOR_KAFKA[kafkaVersion] ?? kafkaVersion;
}

/**
 * Checks `--connect-version`: any 3.x or 4.x release (connect-runtime, connect-file and
 * connect-json of that version must be on Maven Central; Maven says so when they are not).
 */
export function validateConnectVersion(input: string): string {
  if (/^[34]\.\d+\.\d+$/.test(input)) return input;
  throw new UsageError(
    `Unsupported --connect-version '${input}': use a 3.x or 4.x release such as ` +
      `${connectVersionFor(DEFAULT_KAFKA_VERSION)}.`,
  );
}

/** Coordinates of one Maven artifact. */
export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
}

/**
 * How a Kafka line logs. Kafka only ships the slf4j API; the binding and backend are up to us.
 * - 4.x moved from log4j 1 to log4j2 (KIP-653) but still compiles against slf4j 1.7.36 (checked in
 *   the 4.0.0 to 4.4.0 poms), so the binding is log4j-slf4j-impl, not log4j-slf4j2-impl.
 *   The log4j BOM keeps log4j-api/core/binding on one version (2.25.5 is what kafka-server 4.4.0 uses).
 * - 3.9 uses log4j 1 via reload4j, bound by slf4j-reload4j (versions of the 3.9 distribution).
 */
export interface LoggingSetup {
  kind: 'log4j2' | 'reload4j';
  /** Import-scoped BOM that pins the logging family's versions, if any. */
  bom?: MavenArtifact;
  dependencies: MavenArtifact[];
  /** File name of the logging config written into each node folder. */
  configFileName: string;
  /** JVM system property that points the backend at that file. */
  configProperty: string;
}

const LOG4J2_VERSION = '2.25.5';

/**
 * Runtime dependencies of kafka_2.13 left out of the classpath.
 * kafka-tools-api (the plugin API of the console tools) is declared by kafka_2.13 4.4.0 but was
 * never published to Maven Central for 4.4.0, which makes the whole resolution fail. No broker
 * class references it (checked by scanning the 4.4.0 jars for org/apache/kafka/tools/api), so
 * excluding it on every 4.x costs nothing and keeps 4.4.0 resolvable.
 */
export function kafkaExclusions(kafkaVersion: string): Array<Omit<MavenArtifact, 'version'>> {
  return kafkaVersion.startsWith('4.')
    ? [{ groupId: 'org.apache.kafka', artifactId: 'kafka-tools-api' }]
    : [];
}

/** slf4j 1.x binding for log4j2; slf4j 2.x needs `log4j-slf4j2-impl` instead. */
export function log4j2Binding(slf4jMajor: 1 | 2): MavenArtifact {
  return {
    groupId: 'org.apache.logging.log4j',
    artifactId: slf4jMajor === 1 ? 'log4j-slf4j-impl' : 'log4j-slf4j2-impl',
    version: LOG4J2_VERSION,
  };
}

export function loggingSetupFor(kafkaVersion: string, slf4jMajor: 1 | 2 = 1): LoggingSetup {
  if (kafkaVersion.startsWith('3.')) {
    return {
      kind: 'reload4j',
      dependencies: [
        { groupId: 'ch.qos.reload4j', artifactId: 'reload4j', version: '1.2.25' },
        { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
      ],
      configFileName: 'log4j.properties',
      configProperty: 'log4j.configuration',
    };
  }
  return {
    kind: 'log4j2',
    bom: { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-bom', version: LOG4J2_VERSION },
    dependencies: [
      { groupId: 'org.apache.logging.log4j', artifactId: 'log4j-core', version: LOG4J2_VERSION },
      log4j2Binding(slf4jMajor),
    ],
    configFileName: 'log4j2.properties',
    configProperty: 'log4j2.configurationFile',
  };
}
