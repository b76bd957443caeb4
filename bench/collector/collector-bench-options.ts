import type { ClusterShape } from './cluster-shape';
import { KAFKA_OTEL_VARIANT, KAFKAMETRICS_VARIANT } from './run-record';

/** The variants `--variants` chooses among (`kafka-otel@REF` comes with --git-ref). */
export const COLLECTOR_VARIANTS = [KAFKA_OTEL_VARIANT, KAFKAMETRICS_VARIANT] as const;
export type BaseCollectorVariant = (typeof COLLECTOR_VARIANTS)[number];

/** Everything one `npm run bench -- collector` invocation was asked to do. */
export interface CollectorBenchOptions {
  shape: ClusterShape;
  rounds: number;
  /** Timed scrapes per run (after one warm-up). */
  scrapes: number;
  variants: BaseCollectorVariant[];
  /** Also measure kafka-otel as committed at this ref, as variant `kafka-otel@REF`. */
  gitRef: string | undefined;
  /** Existing brokers to use instead of the bench's own three-node cluster. */
  brokers: string[] | undefined;
  /** Records written to each partition (offsets and lag are then non-zero). */
  messagesPerPartition: number;
  /** Run the request-counting pass. */
  countRequests: boolean;
  /** Move every group's commits between scrapes (groups that consume all the time). */
  movingCommits: boolean;
  /** Markdown report path. */
  out: string;
  /** False with --no-build: dist/ is taken as it is. */
  build: boolean;
  /** Where raw figures and the runs' logs go. */
  rawDir: string;
  /** Heading of the report section (e.g. "baseline at commit c69f357"), if any. */
  label: string | undefined;
}

export const COLLECTOR_BENCH_DEFAULTS = {
  shape: '6000x300',
  rounds: 5,
  scrapes: 5,
  messagesPerPartition: 4,
} as const;

/** The bench's own cluster: three nodes on ports no other cluster of this project uses. */
export const COLLECTOR_BENCH_CLUSTER = { name: 'bench-collector', basePort: 57092, nodes: 3 };

/**
 * Heap of each node of the bench's own cluster (KAFKA_OTEL_KAFKA_HEAP_MB): a node holding 6,000
 * partition replicas runs out of the launcher's default 384 MiB.
 */
export const COLLECTOR_BENCH_HEAP_MB = 1536;

/** Highest replication factor used: 3 when the cluster has three brokers. */
export const MAX_REPLICATION_FACTOR = 3;

/** Issue 9's targets for `kafka-otel collect`, by shape. */
export interface Target {
  shape: string;
  snapshotSeconds: number;
  peakRssMiB: number;
}

export const TARGETS: readonly Target[] = [
  { shape: '6000x300', snapshotSeconds: 0.5, peakRssMiB: 200 },
  { shape: '10000x500', snapshotSeconds: 1, peakRssMiB: 300 },
];
