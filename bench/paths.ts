import path from 'node:path';

/** The repository root, found from this file (bench/), whatever folder the bench runs from. */
export const REPO_ROOT = path.resolve(__dirname, '..');

/** Git-ignored working folder of the benchmarks (frozen builds, CPU profiles). */
export const BENCH_WORK_DIR = path.join(REPO_ROOT, '.local', 'bench');

/** Where reports go unless `--out` says otherwise. */
export const DEFAULT_REPORT_PATH = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
