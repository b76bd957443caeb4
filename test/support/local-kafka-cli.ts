import { execFile } from 'node:child_process';
import path from 'node:path';

/** Repository root, where `scripts/local-kafka/cli.ts` and `node_modules/tsx` live. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the launcher CLI as users do (`npm run kafka -- ...` is `tsx scripts/local-kafka/cli.ts`),
 * but through this Node binary with `--import tsx`, so the test can give it an arbitrary PATH
 * (even an empty one) without losing Node or tsx.
 */
export function runLocalKafkaCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join('scripts', 'local-kafka', 'cli.ts'), ...args],
      {
        cwd: REPO_ROOT,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 180_000,
        maxBuffer: 10 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`CLI did not run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/** The `KAFKA_BROKERS=...` line of a CLI output, split into addresses. */
export function brokersLine(stdout: string): string[] | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  return line?.slice('KAFKA_BROKERS='.length).split(',');
}
