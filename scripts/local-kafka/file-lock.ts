import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalKafkaError } from './errors';

function holderIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding an exclusive lock file, so two launchers (say the integration and the
 * cluster test projects, or a terminal and a test run) never format the same cluster or write
 * the same jar cache at once. A lock whose holder died is taken over.
 */
export async function withFileLock<T>(
  lockPath: string,
  what: string,
  fn: () => Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(fs.readFileSync(lockPath, { encoding: 'utf8', flag: 'a+' }).trim());
    if (!Number.isInteger(holder) || holder <= 0 || !holderIsAlive(holder)) {
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new LocalKafkaError(
        `${what} is busy: process ${holder} holds ${lockPath}. Wait for it to finish, or delete the file if that process is not a launcher.`,
      );
    }
    if (!announced) {
      process.stderr.write(`Waiting for process ${holder} to finish with ${what}...\n`);
      announced = true;
    }
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}
