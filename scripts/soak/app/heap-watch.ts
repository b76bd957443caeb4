import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';

/**
 * Watches V8's garbage collections (without causing any) and keeps the used heap right after
 * the latest major one. A heap reading between collections rises and falls with garbage not
 * yet collected; right after a mark-sweep-compact it is close to what is still reachable, which
 * is what a leak makes grow.
 */
export class HeapWatch {
  private afterMajorGc: number | undefined;
  private majorGcCount = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Node puts the GC's kind in `detail`; the DOM-derived PerformanceEntry type lacks it.
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
      if (detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      this.majorGcCount += 1;
      // The observer runs shortly after the GC: what was allocated since is a rounding error
      // next to the heap.
      this.afterMajorGc = v8.getHeapStatistics().used_heap_size;
    }
  });

  start(): void {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    this.observer.disconnect();
  }

  get heapAfterMajorGc(): number | undefined {
    return this.afterMajorGc;
  }

  get majorGcs(): number {
    return this.majorGcCount;
  }
}
