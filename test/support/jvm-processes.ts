import fs from 'node:fs';

/**
 * Pids of live processes whose command line mentions `fragment` (for example a cluster's folder),
 * read from /proc: "no JVM left behind" must be checked against the OS, not the launcher's files.
 * Zombies have an empty cmdline and are not listed.
 */
export function processesMentioning(fragment: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(fragment)) pids.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

/** Kafka broker JVMs (main class kafka.Kafka) started from the given folder. */
export function kafkaJvmsUnder(dir: string): number[] {
  return processesMentioning(dir).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('kafka.Kafka');
    } catch {
      return false;
    }
  });
}
