import { setFlagsFromString } from 'node:v8';

/**
 * How far the exporter's heap may grow past what the last full garbage collection kept: 50%.
 *
 * V8 picks the factor itself, up to 300% (4x) for a process that spends little time in GC,
 * which an exporter idle between scrapes always is. Every snapshot leaves the previous one
 * and its decoded replies behind (about 30 MB at 6,000 partitions and 300 groups), so under
 * V8's choice a `kafka-otel collect` process grew to 4x its live data (35 MB) before
 * collecting, and peaked near 260 MB; at 50% it stays near 160 MB for a few ms of extra GC per
 * scrape (`docs/benchmarks.md`). This is the exporter's equivalent of a Go exporter's GOGC.
 */
export const EXPORTER_HEAP_GROWING_PERCENT = 50;

/**
 * Applies the exporter's heap policy to this process, unless the user chose one
 * (`node --heap-growing-percent=N .../cli.js collect`). Only for the CLI's own process: an
 * application's runtime is never tuned by this package. Returns whether it was applied.
 */
export function applyExporterHeapPolicy(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false;
  // Read by V8 each time it sets the next collection's limit, so it takes effect at runtime.
  setFlagsFromString(`--heap-growing-percent=${EXPORTER_HEAP_GROWING_PERCENT}`);
  return true;
}
