import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The package's built entry points, exactly what a user's `kafka-otel/register` and
 * `kafka-otel` bin resolve to. The e2e suite runs the build, not the sources.
 */
export const DIST = {
  registerCjs: path.join(REPO_ROOT, 'dist', 'cjs', 'register.js'),
  registerEsm: path.join(REPO_ROOT, 'dist', 'esm', 'register.mjs'),
  cli: path.join(REPO_ROOT, 'dist', 'cjs', 'cli.js'),
} as const;

export const APPS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'apps');

/** Fails the run up front, with the fix, when `npm run build` has not produced dist/. */
export function assertDistBuilt(): void {
  const missing = Object.values(DIST).filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `The e2e suite runs the built package, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: run \`npm run build\` first (\`npm test\` does).`,
    );
  }
}
