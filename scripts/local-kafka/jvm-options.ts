import path from 'node:path';
import type { LoggingSetup } from './kafka-versions';

/** Heap per JVM: enough for test traffic, small enough that three nodes fit on a laptop or CI VM. */
export function heapMegabytes(nodeCount: number): number {
  return nodeCount >= 3 ? 384 : 512;
}

export interface JvmOptionsInput {
  libsDir: string;
  logging: LoggingSetup;
  logConfigPath: string;
  heapMb: number;
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
    '-cp',
    path.join(input.libsDir, '*'),
  ];
}
