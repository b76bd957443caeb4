/**
 * Every version on the client benchmark's measured path: Node, KafkaJS, the broker, the
 * OpenTelemetry packages and the contrib instrumentation it is compared with.
 */
import fs from 'node:fs';
import path from 'node:path';
import { installedVersion, type CodeVersion } from '../environment';

/** The Confluent client the Confluent variants loaded, from its cached install. */
export interface ConfluentVersions {
  client: string;
  /** The librdkafka release the client bundles (and the install built). */
  librdkafka: string;
}

export interface VersionInfo {
  node: string;
  kafkajs: string;
  /** Kafka broker version, when the brokers belong to a local cluster of scripts/local-kafka. */
  kafkaBroker: string;
  /** Installed versions of the OpenTelemetry packages on the measured path. */
  openTelemetry: Record<string, string>;
  contribInstrumentation: string;
  kafkaOtel: CodeVersion;
  /** Undefined when no Confluent variant ran. */
  confluent: ConfluentVersions | undefined;
}

/** OpenTelemetry packages the variants load, reported by their installed version. */
const OPEN_TELEMETRY_PACKAGES = [
  '@opentelemetry/api',
  '@opentelemetry/sdk-metrics',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/context-async-hooks',
  '@opentelemetry/core',
  '@opentelemetry/instrumentation',
];

export const CONTRIB_PACKAGE = '@opentelemetry/instrumentation-kafkajs';

/** Versions from the installed package's package.json (`version`, and its `librdkafka` field). */
export function readConfluentVersions(packageDir: string): ConfluentVersions {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
    version?: string;
    librdkafka?: string;
  };
  return {
    client: manifest.version ?? 'unknown',
    librdkafka: manifest.librdkafka ?? 'unknown',
  };
}

export function readVersions(
  kafkaBroker: string,
  kafkaOtel: CodeVersion,
  confluent: ConfluentVersions | undefined,
): VersionInfo {
  return {
    node: process.version,
    kafkajs: installedVersion('kafkajs'),
    kafkaBroker,
    openTelemetry: Object.fromEntries(
      OPEN_TELEMETRY_PACKAGES.map((name) => [name, installedVersion(name)]),
    ),
    contribInstrumentation: installedVersion(CONTRIB_PACKAGE),
    kafkaOtel,
    confluent,
  };
}
