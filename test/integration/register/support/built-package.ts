import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root: the built package is used the way users get it, by its name. */
export const ROOT = join(__dirname, '..', '..', '..', '..');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds dist/ unless it is newer than every source file. `npm test` builds before vitest, so
 * this only costs time when a test file runs on its own after an edit.
 */
export function ensureBuilt(): void {
  const built = Math.min(
    mtime(join(ROOT, 'dist', 'cjs', 'register.js')),
    mtime(join(ROOT, 'dist', 'esm', 'register.mjs')),
    mtime(join(ROOT, 'dist', 'cjs', 'cli.js')),
  );
  const sources = Math.max(
    newestMtime(join(ROOT, 'src')),
    mtime(join(ROOT, 'scripts', 'build.mjs')),
  );
  if (built > sources) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}
