import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LocalKafkaError } from './errors';
import { kafkaJvmArgs, type JvmOptionsInput } from './jvm-options';

const execFileAsync = promisify(execFile);

/**
 * Writes meta.properties (cluster id, node id) and the bootstrap metadata into the node's log
 * dir: a KRaft node refuses to start on unformatted storage. `kafka.tools.StorageTool` is the
 * class behind `kafka-storage.sh` in both 3.9 and 4.x.
 */
export async function formatStorage(
  java: string,
  jvm: Omit<JvmOptionsInput, 'heapMb'>,
  clusterId: string,
  propertiesPath: string,
): Promise<void> {
  const args = [
    ...kafkaJvmArgs({ ...jvm, heapMb: 256 }),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    propertiesPath,
  ];
  try {
    await execFileAsync(java, args, { timeout: 120_000, maxBuffer: 10 * 1024 * 1024 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new LocalKafkaError(
      `Formatting the storage of ${propertiesPath} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
  }
}
