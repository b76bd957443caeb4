import { DEFAULT_CLIENT_SELECTION, variantsOf, type ClientSelection } from './client-selection';
import { SCENARIOS, type Scenario, type Variant } from './run-contract';

/** Everything one `npm run bench -- client` invocation was asked to do. */
export interface ClientBenchOptions {
  messages: number;
  rounds: number;
  messageBytes: number;
  partitions: number;
  /** Messages per `producer.send` call in the produce scenario (fixed, reported). */
  sendSize: number;
  scenarios: Scenario[];
  /** The client libraries measured (--client); decides the variants on offer. */
  client: ClientSelection;
  variants: Variant[];
  /** Existing brokers to use instead of the bench's own local cluster. */
  brokers: string[] | undefined;
  /** Markdown report path. */
  out: string;
  /** False with --no-build: dist/ is taken as it is. */
  build: boolean;
  /** Build kafka-otel from this commit instead of the working tree. */
  gitRef: string | undefined;
  /** When set, each child writes a V8 CPU profile there (figures then include its overhead). */
  cpuProfileDir: string | undefined;
}

export const CLIENT_BENCH_DEFAULTS = {
  messages: 100_000,
  rounds: 5,
  messageBytes: 1024,
  partitions: 6,
  sendSize: 100,
  scenarios: [...SCENARIOS],
  client: DEFAULT_CLIENT_SELECTION,
  variants: [...variantsOf(DEFAULT_CLIENT_SELECTION)],
} as const;

/**
 * The time one run may take before it fails: start-up and group join, plus a per-message
 * allowance far above the slowest variant's pace on a loaded two-core machine.
 */
export function runTimeoutMs(messages: number): number {
  return 90_000 + messages * 2;
}
