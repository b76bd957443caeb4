import path from 'node:path';

/** The repository root, found from this file (scripts/soak/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Git-ignored: raw samples, the app's log, the last scrape, and each run's private install. */
export const SOAK_DIR = path.join(REPO_ROOT, '.local', 'soak');
