import path from 'node:path';
import { DIST_ENTRIES, REPO_ROOT } from '../../support/built-package';

/**
 * The package's built entry points, exactly what a user's `kafka-otel/register` and
 * `kafka-otel` bin resolve to. The e2e suite runs the build, not the sources; its global setup
 * rebuilds dist/ first when the sources are newer (test/support/built-package.ts).
 */
export const DIST = {
  registerCjs: path.join(REPO_ROOT, DIST_ENTRIES.registerCjs),
  registerEsm: path.join(REPO_ROOT, DIST_ENTRIES.registerEsm),
  cli: path.join(REPO_ROOT, DIST_ENTRIES.cli),
} as const;

export const APPS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'apps');
