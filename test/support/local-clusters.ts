import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './local-kafka-cli';

/** Where scripts/local-kafka keeps one folder per cluster. */
export const LOCAL_CLUSTERS_DIR = path.join(REPO_ROOT, '.local', 'kafka');

/** Names of the launcher's clusters that have been created (have a state.json). */
export function listLocalClusters(): string[] {
  try {
    return fs
      .readdirSync(LOCAL_CLUSTERS_DIR)
      .filter((name) => fs.existsSync(path.join(LOCAL_CLUSTERS_DIR, name, 'state.json')));
  } catch {
    return [];
  }
}

/** Deletes a throw-away cluster folder (and its lock) a launcher test created. */
export function removeLocalCluster(name: string): void {
  fs.rmSync(path.join(LOCAL_CLUSTERS_DIR, name), { recursive: true, force: true });
  fs.rmSync(path.join(LOCAL_CLUSTERS_DIR, `${name}.lock`), { force: true });
}
