/**
 * How busy the rest of the machine was while a run went on: CPU the whole system spent (from
 * /proc/stat) minus what the bench itself, the child and the Kafka brokers spent, in cores. A
 * benchmark on a shared machine is only as good as this number is low. Linux only; elsewhere
 * the figure is simply unknown.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Other processes' CPU above which a run counts as disturbed, in cores. */
export const DISTURBED_RUN_CORES = 0.25;

let ticksPerSecond: number | undefined;

/** The kernel's clock tick (USER_HZ), the unit of /proc CPU times; 100 nearly everywhere. */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** Busy CPU ticks of all cores since boot (user, nice, system, irq, softirq, steal). */
function systemBusyTicks(): number | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
      (s, v) => s + (v ?? 0),
      0,
    );
    return Number.isFinite(busy) ? busy : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ticks (user + system) a process has used, or undefined when it cannot be read. */
export function processTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used, or undefined when it cannot be read. */
export function processCpuSeconds(pid: number): number | undefined {
  const ticks = processTicks(pid);
  return ticks === undefined ? undefined : ticks / clockTicksPerSecond();
}

export interface LoadProbe {
  /**
   * Cores used by other processes since the probe started, given the CPU the child used over
   * its whole life; undefined when /proc cannot tell.
   */
  otherCores(childCpuMicros: number): number | undefined;
}

/**
 * Starts measuring just before a child is spawned; `brokerPids` are the local brokers' JVMs,
 * when known, whose work belongs to the run.
 */
export function startLoadProbe(brokerPids: readonly number[]): LoadProbe {
  const startedAt = process.hrtime.bigint();
  const busyAtStart = systemBusyTicks();
  const brokersAtStart = brokerPids.map((pid) => processTicks(pid));
  const benchAtStart = process.cpuUsage();
  return {
    otherCores(childCpuMicros: number): number | undefined {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const busyNow = systemBusyTicks();
      if (busyAtStart === undefined || busyNow === undefined || seconds <= 0) return undefined;
      const hz = clockTicksPerSecond();
      const brokerSeconds = brokerPids.reduce((sum, pid, index) => {
        const before = brokersAtStart[index];
        const now = processTicks(pid);
        return before === undefined || now === undefined ? sum : sum + (now - before) / hz;
      }, 0);
      const bench = process.cpuUsage(benchAtStart);
      const ownSeconds = (bench.user + bench.system + childCpuMicros) / 1e6 + brokerSeconds;
      return Math.max(0, ((busyNow - busyAtStart) / hz - ownSeconds) / seconds);
    },
  };
}
