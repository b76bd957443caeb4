import type { BuiltBinary } from './build-cache';
import { ensureCollector, type BuildOptions } from './collector-build';
import { ensureJaeger } from './jaeger-build';
import { ensurePrometheus, type PrometheusBinaries } from './prometheus-install';

export interface StackBinaries {
  collector: BuiltBinary;
  jaeger: BuiltBinary;
  prometheus: PrometheusBinaries;
  seconds: number;
}

/**
 * Everything the stack runs, built or found: cached binaries come back in well under a second.
 * One after the other on purpose: on a 2-core machine two Go builds at once are not faster,
 * and their interleaved progress would be unreadable.
 */
export async function buildStack(options: BuildOptions = {}): Promise<StackBinaries> {
  const started = Date.now();
  const collector = await ensureCollector(options);
  const jaeger = await ensureJaeger(options);
  const prometheus = await ensurePrometheus(options);
  return { collector, jaeger, prometheus, seconds: (Date.now() - started) / 1000 };
}
