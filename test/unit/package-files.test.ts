/**
 * package.json `files` names only what exists, and the tarball it selects carries what users
 * run and read: the entry points of `exports`, `bin`, `main` and `types`, README.md and
 * otel-collector.yaml. npm skips a `files` entry that matches nothing without a word, so a
 * folder announced before it lands would go unnoticed.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const REPO_ROOT = join(__dirname, '..', '..');

interface PackageJson {
  files: string[];
  main: string;
  types: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

const pkg = readJson<PackageJson>(join(REPO_ROOT, 'package.json'));

/** A package path as npm lists it: no leading `./`, forward slashes. */
function packagePath(path: string): string {
  return normalize(path).split('\\').join('/');
}

/** Every file path in an `exports` map, at any depth of conditions. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports).flatMap(exportTargets);
}

/** The files users load: `exports` (package.json itself aside), `bin`, `main`, `types`. */
const ENTRY_POINTS = [
  ...exportTargets(pkg.exports).filter((target) => packagePath(target) !== 'package.json'),
  ...Object.values(pkg.bin),
  pkg.main,
  pkg.types,
]
  .map(packagePath)
  .filter((path, index, all) => all.indexOf(path) === index);

/**
 * The `files` entries the build writes (tsconfig.build.json's outDir or a folder holding it).
 * They exist only after `npm run build`; unit tests do not build (`npm test` builds before
 * vitest, a unit run on its own does not), so their existence is left to the suites that run
 * the built package, and the tarball test below stands in files at the entry points.
 */
function buildOutputEntries(): string[] {
  const { compilerOptions } = readJson<{ compilerOptions: { outDir: string } }>(
    join(REPO_ROOT, 'tsconfig.build.json'),
  );
  const outDir = packagePath(compilerOptions.outDir);
  return pkg.files.filter(
    (entry) => outDir === packagePath(entry) || outDir.startsWith(`${packagePath(entry)}/`),
  );
}

describe('package.json files', () => {
  it('names the build output folder, which holds every entry point', () => {
    expect(buildOutputEntries()).toEqual(['dist']);
    expect(ENTRY_POINTS.filter((path) => !path.startsWith('dist/'))).toEqual([]);
  });

  it('names only files and folders that exist in the repository', () => {
    const sources = pkg.files.filter((entry) => !buildOutputEntries().includes(entry));
    expect(sources.filter((entry) => !existsSync(join(REPO_ROOT, entry)))).toEqual([]);
  });

  describe('npm pack', () => {
    let staging: string;

    beforeEach(() => {
      staging = mkdtempSync(join(tmpdir(), 'kafka-otel-pack-'));
    });
    afterEach(() => rmSync(staging, { recursive: true, force: true }));

    it('packs README.md, otel-collector.yaml and every entry point', () => {
      // A copy of the package as a build leaves it: package.json, the `files` sources, and a
      // file at each entry point in place of the compiled one (npm selects by path, not by
      // content). No build, no network: `--offline`, and no lifecycle scripts run.
      cpSync(join(REPO_ROOT, 'package.json'), join(staging, 'package.json'));
      // A missing source entry is the test above's failure, not this one's.
      const sources = pkg.files.filter(
        (entry) => !buildOutputEntries().includes(entry) && existsSync(join(REPO_ROOT, entry)),
      );
      for (const entry of sources) {
        cpSync(join(REPO_ROOT, entry), join(staging, entry), { recursive: true });
      }
      for (const entry of ENTRY_POINTS) {
        mkdirSync(dirname(join(staging, entry)), { recursive: true });
        writeFileSync(join(staging, entry), '');
      }

      const report = execFileSync(
        'npm',
        ['pack', '--dry-run', '--json', '--ignore-scripts', '--offline'],
        { cwd: staging, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const [packed] = JSON.parse(report) as [{ files: { path: string }[] }];
      const paths = packed.files.map((file) => file.path);
      expect(paths).toEqual(expect.arrayContaining(['README.md', 'otel-collector.yaml']));
      expect(ENTRY_POINTS.filter((entry) => !paths.includes(entry))).toEqual([]);
    }, 60_000);
  });
});
