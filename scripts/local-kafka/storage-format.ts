import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LocalKafkaError } from './errors';
import { kafkaJvmArgs, type JvmOptionsInput } from './jvm-options';

const execFileAsync = promisify(execFile);

/** A SCRAM user to create in the cluster's bootstrap metadata. */
export interface ScramCredential {
  mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  username: string;
  password: string;
}

/**
 * StorageTool's `--add-scram` options (3.5+ and 4.x): in KRaft the SCRAM credentials are metadata
 * records, and formatting is the one moment they can be added without a running cluster.
 * Usernames and passwords must not hold `,`, `[`, `]` or `=` (the launcher's never do).
 */
export function scramFormatArgs(credentials: ScramCredential[]): string[] {
  return credentials.flatMap((c) => [
    '--add-scram',
    `${c.mechanism}=[name=${c.username},password=${c.password}]`,
  ]);
}

/** `text` with every secret replaced, for messages that quote a command line or its output. */
export function redact(text: string, secrets: string[]): string {
  return secrets
    .filter((s) => s.length > 0)
    .reduce((out, secret) => out.split(secret).join('<redacted>'), text);
}

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
  scram: ScramCredential[] = [],
): Promise<void> {
  const args = [
    ...kafkaJvmArgs({ ...jvm, heapMb: 256 }),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    propertiesPath,
    ...scramFormatArgs(scram),
  ];
  try {
    await execFileAsync(java, args, { timeout: 120_000, maxBuffer: 10 * 1024 * 1024 });
  } catch (error) {
    // The error message quotes the command line, which holds the SCRAM passwords.
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new LocalKafkaError(
      redact(
        `Formatting the storage of ${propertiesPath} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
        scram.map((c) => c.password),
      ),
    );
  }
}
