/**
 * The kafka-otel the children load: the built package (dist/cjs), never the TypeScript sources.
 * The bench builds it (unless told the build is fresh) and runs a private copy of it, so that a
 * rebuild during a long bench (`npm test` starts with one, which first deletes dist/) can
 * neither break a run nor make later rounds measure other code than earlier ones.
 *
 * With a git ref, the package is built from that commit's files instead (`git archive`), so
 * a benchmark can measure committed code while the working tree is in the middle of an edit.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { BenchError, InterruptedError } from './errors';
import { BENCH_WORK_DIR, REPO_ROOT } from './paths';

const DIST_CJS = path.join(REPO_ROOT, 'dist', 'cjs');

export interface BuiltPackage {
  /** The bench's private folder holding the copy; removed by `dispose`. */
  dir: string;
  /** The copy's CommonJS entry point (what `require('kafka-otel')` resolves to). */
  entry: string;
  /** The copy's CommonJS folder (dist/cjs): `cli.js` and the internal modules live under it. */
  cjsDir: string;
  /** Removes the copy. */
  dispose(): void;
}

/** Files a build needs: the sources and the build script with its TypeScript configs. */
const BUILD_INPUTS = ['src', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json'];

/** A command of the bench's own, with its output on our stderr; abortable. */
async function runStep(
  what: string,
  command: string,
  args: string[],
  cwd: string,
  signal: AbortSignal,
): Promise<void> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 2, 2] });
  const onAbort = (): void => void child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    if (signal.aborted) throw new InterruptedError();
    if (code !== 0) {
      throw new BenchError(`${what} failed (exit code ${code}); see its output above.`);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** `npm run build`'s script (scripts/build.mjs) of the tree rooted at `root`. */
function build(root: string, signal: AbortSignal): Promise<void> {
  const script = path.join(root, 'scripts', 'build.mjs');
  return runStep('The build', process.execPath, [script], root, signal);
}

/** Extracts `ref`'s build inputs into `dir` (inside the repository, for its node_modules). */
async function checkOut(ref: string, dir: string, signal: AbortSignal): Promise<void> {
  const archive = path.join(dir, 'source.tar');
  await runStep(
    `git archive ${ref}`,
    'git',
    ['archive', '--format=tar', `--output=${archive}`, ref, ...BUILD_INPUTS],
    REPO_ROOT,
    signal,
  );
  await runStep('Extracting the archive', 'tar', ['-xf', archive, '-C', dir], dir, signal);
}

export async function prepareBuiltPackage(options: {
  build: boolean;
  /** Build this commit instead of the working tree. */
  gitRef: string | undefined;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<BuiltPackage> {
  // Inside the repository, so the copy resolves its dependencies from the same node_modules.
  const dir = path.join(BENCH_WORK_DIR, 'builds', `${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  const dispose = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    if (options.gitRef !== undefined) {
      options.log(`Building kafka-otel as committed at ${options.gitRef}...`);
      await checkOut(options.gitRef, dir, options.signal);
      await build(dir, options.signal);
      const cjsDir = path.join(dir, 'dist', 'cjs');
      return { dir, entry: path.join(cjsDir, 'index.js'), cjsDir, dispose };
    }
    if (options.build) {
      options.log('Building kafka-otel (npm run build)...');
      await build(REPO_ROOT, options.signal);
    }
    if (!fs.existsSync(path.join(DIST_CJS, 'index.js'))) {
      throw new BenchError(
        `${path.relative(REPO_ROOT, DIST_CJS)}/index.js is missing: run \`npm run build\`, or drop --no-build.`,
      );
    }
    const cjsDir = path.join(dir, 'cjs');
    fs.cpSync(DIST_CJS, cjsDir, { recursive: true });
    return { dir, entry: path.join(cjsDir, 'index.js'), cjsDir, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
