/**
 * The built package (dist/) that the suites run the way users get it: `kafka-otel/register`
 * and the `kafka-otel` bin resolve to it by the package's own name. Shared by the integration
 * suite (its register and CLI tests) and the e2e suite, so both test what the sources say now.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** The entry points named in package.json "exports" and "bin" that the suites start. */
export const DIST_ENTRIES = {
  registerCjs: join('dist', 'cjs', 'register.js'),
  registerEsm: join('dist', 'esm', 'register.mjs'),
  cli: join('dist', 'cjs', 'cli.js'),
} as const;

/** What the build reads: a change to any of them makes dist/ out of date. */
const BUILD_INPUTS = ['src', join('scripts', 'build.mjs'), 'tsconfig.json', 'tsconfig.build.json'];

/** Modification time of a file, or of the newest file under a folder; 0 when absent. */
function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/**
 * True when dist/ under `root` is missing an entry point or is older than a build input: a
 * suite would then test a build that no longer matches the sources.
 */
export function buildIsStale(root: string = REPO_ROOT): boolean {
  const entries = Object.values(DIST_ENTRIES).map((entry) => newestMtime(join(root, entry)));
  const inputs = BUILD_INPUTS.map((input) => newestMtime(join(root, input)));
  return Math.min(...entries) <= Math.max(...inputs);
}

/**
 * Builds dist/ (scripts/build.mjs, what `npm run build` runs) when it is stale. `npm test`
 * builds before vitest, so this only costs time when a suite or a file runs on its own after
 * an edit.
 */
export function ensureBuilt(root: string = REPO_ROOT): void {
  if (!buildIsStale(root)) return;
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (error) {
    // tsc reports compile errors on stdout: the message carries both streams.
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `building dist/ with scripts/build.mjs failed:\n${String(stdout ?? '')}${String(stderr ?? '')}`,
      { cause: error },
    );
  }
}
