/**
 * The global setups' side of `confluentClient`: installs (or finds cached) the client once per
 * run and provides it. A failed build is provided as its error, not thrown: throwing would fail
 * every test of the suite, while only the Confluent tests need the client (and they fail with
 * this error, see providedConfluentClient).
 */
import type { TestProject } from 'vitest/node';
import { ensureConfluentClient } from '../../scripts/confluent-client/confluent-client-install';
import type { ProvidedConfluentClient } from './confluent-client-context';

export async function provideConfluentClient(
  project: TestProject,
  log: (line: string) => void,
): Promise<void> {
  let provided: ProvidedConfluentClient;
  try {
    const client = await ensureConfluentClient({ log });
    log(
      `${client.cached ? 'Found' : 'Built'} @confluentinc/kafka-javascript ${client.version} in ${client.installDir} (${client.seconds.toFixed(1)} s)`,
    );
    provided = {
      version: client.version,
      packageDir: client.packageDir,
      installDir: client.installDir,
    };
  } catch (error) {
    log(`@confluentinc/kafka-javascript could not be installed: ${(error as Error).message}`);
    provided = { error: (error as Error).message };
  }
  project.provide('confluentClient', provided);
}
