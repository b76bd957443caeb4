/**
 * Every version on the client benchmark's measured path: Node, KafkaJS, the broker, the
 * OpenTelemetry packages and the contrib instrumentation it is compared with.
 */
import { installedVersion, type CodeVersion } from '../environment';

export interface VersionInfo {
  node: string;
  kafkajs: string;
  /** Kafka broker version, when the brokers belong to a local cluster of scripts/local-kafka. */
  kafkaBroker: string;
  /** Installed versions of the OpenTelemetry packages on the measured path. */
  openTelemetry: Record<string, string>;
  contribInstrumentation: string;
  kafkaOtel: CodeVersion;
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

export function readVersions(kafkaBroker: string, kafkaOtel: CodeVersion): VersionInfo {
  return {
    node: process.version,
    kafkajs: installedVersion('kafkajs'),
    kafkaBroker,
    openTelemetry: Object.fromEntries(
      OPEN_TELEMETRY_PACKAGES.map((name) => [name, installedVersion(name)]),
    ),
    contribInstrumentation: installedVersion(CONTRIB_PACKAGE),
    kafkaOtel,
  };
}
