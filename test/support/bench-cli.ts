import { execFile } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface BenchOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as `npm run bench` starts it (`tsx bench/cli.ts`), through this Node binary. */
export function runBench(args: string[], timeoutMs: number): Promise<BenchOutput> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join('bench', 'cli.ts'), ...args],
      { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Data rows (cells trimmed) of the Markdown tables in `text` whose first cell matches. */
export function tableRows(text: string, firstCell: RegExp): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    )
    .filter((cells) => firstCell.test(cells[0] ?? ''));
}
