/**
 * When the suites that run the built package rebuild it (test/support/built-package.ts): a
 * dist/ older than any build input, or missing an entry point, is stale.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsStale, DIST_ENTRIES } from '../../support/built-package';

/** A fixed clock for file times, in seconds: builds at BUILT, edits before or after it. */
const BUILT = 1_800_000_000;

let root: string;

/** Writes a file of the fake repository with the given modification time. */
function file(path: string, mtime: number): void {
  const at = join(root, path);
  mkdirSync(dirname(at), { recursive: true });
  writeFileSync(at, '');
  utimesSync(at, mtime, mtime);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kafka-otel-built-package-'));
  for (const input of [
    'src/index.ts',
    'src/register/start-register.ts',
    'scripts/build.mjs',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    file(input, BUILT - 60);
  }
  for (const entry of Object.values(DIST_ENTRIES)) file(entry, BUILT);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildIsStale', () => {
  it('is false when every entry point is newer than every build input', () => {
    expect(buildIsStale(root)).toBe(false);
  });

  it.each([
    'src/register/start-register.ts',
    'src/sdk/new-file.ts',
    'scripts/build.mjs',
    'tsconfig.json',
    'tsconfig.build.json',
  ])('is true once %s is edited after the build', (path) => {
    file(path, BUILT + 1);
    expect(buildIsStale(root)).toBe(true);
  });

  it.each(Object.values(DIST_ENTRIES))('is true when %s is missing', (entry) => {
    rmSync(join(root, entry));
    expect(buildIsStale(root)).toBe(true);
  });

  it('is true when one entry point is older than the sources (a build that did not finish)', () => {
    file(DIST_ENTRIES.cli, BUILT - 120);
    expect(buildIsStale(root)).toBe(true);
  });

  it('ignores files that are not build inputs (tests, docs)', () => {
    file('test/unit/some.test.ts', BUILT + 1);
    file('docs/metrics.md', BUILT + 1);
    expect(buildIsStale(root)).toBe(false);
  });
});
