/**
 * The steady-state window of one run: wall time and process CPU between `open()` and `close()`,
 * then the memory figures at its end.
 */

export interface WindowFigures {
  windowMs: number;
  windowCpuMicros: number;
}

export interface MemoryFigures {
  heapUsedAfterGcBytes: number;
  peakRssBytes: number;
}

export class MeasurementWindow {
  private startedAt: bigint | undefined;
  private startCpu: NodeJS.CpuUsage | undefined;
  private figures: WindowFigures | undefined;

  get isOpen(): boolean {
    return this.startedAt !== undefined && this.figures === undefined;
  }

  get isClosed(): boolean {
    return this.figures !== undefined;
  }

  open(): void {
    this.startCpu = process.cpuUsage();
    this.startedAt = process.hrtime.bigint();
  }

  close(): WindowFigures {
    const endedAt = process.hrtime.bigint();
    if (this.startedAt === undefined || this.startCpu === undefined) {
      throw new Error('the measurement window was closed before it was opened');
    }
    const cpu = process.cpuUsage(this.startCpu);
    this.figures = {
      windowMs: Number(endedAt - this.startedAt) / 1e6,
      windowCpuMicros: cpu.user + cpu.system,
    };
    return this.figures;
  }

  result(): WindowFigures {
    if (!this.figures) throw new Error('the measurement window was never closed');
    return this.figures;
  }
}

/**
 * Heap still reachable after two full collections (the second one frees what finalizers of the
 * first released), and the peak RSS so far. Needs `node --expose-gc`.
 */
export function measureMemory(): MemoryFigures {
  const gc = globalThis.gc;
  if (!gc) throw new Error('global.gc is missing: the child must run with --expose-gc');
  gc();
  gc();
  return {
    heapUsedAfterGcBytes: process.memoryUsage().heapUsed,
    // maxRSS is in kilobytes.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
