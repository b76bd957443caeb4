import path from 'node:path';
import type { LoggingSetup } from './kafka-versions';

/** Variable overriding the heap of every JVM a start launches, in MiB. */
export const HEAP_VARIABLE = 'KAFKA_OTEL_KAFKA_HEAP_MB';

/**
 * Heap per JVM: enough for test traffic, small enough that three nodes fit on a laptop or CI VM.
 * KAFKA_OTEL_KAFKA_HEAP_MB overrides it for clusters holding thousands of partitions (a node of
 * a three-node cluster with 6,000 partitions at replication factor 3 runs out of 384 MiB).
 */
export function heapMegabytes(nodeCount: number, env: NodeJS.ProcessEnv = {}): number {
  const override = env[HEAP_VARIABLE]?.trim();
  if (override && /^\d+$/.test(override) && Number(override) >= 128) return Number(override);
  return nodeCount >= 3 ? 384 : 512;
}

export interface JvmOptionsInput {
  libsDir: string;
  logging: LoggingSetup;
  logConfigPath: string;
  heapMb: number;
  /** `-javaagent:...` flags (Jolokia), placed before the classpath like any JVM option. */
  javaAgents?: string[];
}

/**
 * JVM flags for a Kafka process, a trimmed version of what kafka-run-class.sh passes. The jars go
 * in as `<libs>/*`, a wildcard the JVM expands itself (no shell involved).
 */
export function kafkaJvmArgs(input: JvmOptionsInput): string[] {
  return [
    `-Xmx${input.heapMb}m`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    // A broker out of memory is broken; exiting lets readiness report it instead of hanging.
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-D${input.logging.configProperty}=file:${input.logConfigPath}`,
    ...(input.javaAgents ?? []),
    '-cp',
    path.join(input.libsDir, '*'),
  ];
}
