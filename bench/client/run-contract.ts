/**
 * What the bench asks one child process to do, and what the child answers: the only things that
 * cross the process boundary (the spec as one JSON argument, the result as one stdout line).
 */

/** The KafkaJS workloads measured. */
export const SCENARIOS = ['produce', 'eachMessage', 'eachBatch'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The client libraries measured, each through its KafkaJS API. */
export const CLIENTS = ['kafkajs', 'confluent'] as const;
export type Client = (typeof CLIENTS)[number];

/** KafkaJS's telemetry set-ups; `bare` is the baseline their ratios refer to. */
export const KAFKAJS_VARIANTS = ['bare', 'metrics', 'traces', 'contrib'] as const;

/**
 * `@confluentinc/kafka-javascript`'s set-ups, compared only with `confluent-bare`: librdkafka
 * does its I/O and batching on threads of its own, so its figures and KafkaJS's measure
 * different clients, and a ratio across the two would mix the client's cost with the
 * instrumentation's.
 */
export const CONFLUENT_VARIANTS = [
  'confluent-bare',
  'confluent-metrics',
  'confluent-traces',
] as const;

/** Every variant, in the order tables list them and round 1 runs them. */
export const VARIANTS = [...KAFKAJS_VARIANTS, ...CONFLUENT_VARIANTS] as const;
export type Variant = (typeof VARIANTS)[number];

/** What a variant adds to its client: nothing, kafka-otel's metrics, its traces, or contrib. */
export type Telemetry = 'none' | 'metrics' | 'traces' | 'contrib';

const VARIANT_SHAPES: Record<Variant, { client: Client; telemetry: Telemetry }> = {
  bare: { client: 'kafkajs', telemetry: 'none' },
  metrics: { client: 'kafkajs', telemetry: 'metrics' },
  traces: { client: 'kafkajs', telemetry: 'traces' },
  contrib: { client: 'kafkajs', telemetry: 'contrib' },
  'confluent-bare': { client: 'confluent', telemetry: 'none' },
  'confluent-metrics': { client: 'confluent', telemetry: 'metrics' },
  'confluent-traces': { client: 'confluent', telemetry: 'traces' },
};

export function clientOf(variant: Variant): Client {
  return VARIANT_SHAPES[variant].client;
}

export function telemetryOf(variant: Variant): Telemetry {
  return VARIANT_SHAPES[variant].telemetry;
}

/** The bare run of the variant's own client: what its ratios and differences compare with. */
export function baselineOf(variant: Variant): Variant {
  return clientOf(variant) === 'confluent' ? 'confluent-bare' : 'bare';
}

/** Offsets a partition of the pre-filled consume topic holds: [low, high). */
export interface PartitionRange {
  partition: number;
  low: number;
  high: number;
}

export interface RunSpec {
  scenario: Scenario;
  variant: Variant;
  brokers: string[];
  topic: string;
  /** Messages to send (produce) or to receive (consume). */
  messages: number;
  /** Size of each message value in bytes. */
  messageBytes: number;
  /** Messages per `producer.send` call (produce). */
  sendSize: number;
  /** A group nobody used before, so the consumer reads the topic from its beginning (consume). */
  groupId: string;
  /** What the consume topic holds, to check every delivery against (consume). */
  partitions: PartitionRange[];
  /** The built kafka-otel entry point (CommonJS) the child loads. */
  kafkaOtelEntry: string;
  /**
   * The cached install of `@confluentinc/kafka-javascript` (scripts/confluent-client: the folder
   * holding its node_modules), for Confluent variants; the client is never a project dependency.
   */
  confluentClientDir: string | undefined;
  /** The child gives up, with an error, after this long. */
  timeoutMs: number;
}

export interface RunResult {
  scenario: Scenario;
  variant: Variant;
  /** Messages acknowledged (produce) or distinct (partition, offset) pairs delivered (consume). */
  messages: number;
  /** Length of the steady-state window. */
  windowMs: number;
  /** Process CPU (user + system) spent inside the window. */
  windowCpuMicros: number;
  /** `heapUsed` right after a forced full GC at the end of the window. */
  heapUsedAfterGcBytes: number;
  /** Peak resident set size of the child up to the end of the window. */
  peakRssBytes: number;
  /** CPU the child used over its whole life, to tell its load from other processes'. */
  lifetimeCpuMicros: number;
  /** Spans the counting exporter received (traces, contrib); undefined without a tracer. */
  spansExported: number | undefined;
  /** The kafka-otel message counter's total, checked equal to `messages` (metrics, traces). */
  messageCounterTotal: number | undefined;
}

/** Marks the result line on the child's stdout, which KafkaJS's own logs may share. */
export const RESULT_LINE_PREFIX = 'KAFKA_OTEL_BENCH_RESULT ';

export function formatResultLine(result: RunResult): string {
  return `${RESULT_LINE_PREFIX}${JSON.stringify(result)}\n`;
}

/** The result line in a child's stdout, or undefined when it printed none. */
export function parseResultLine(stdout: string): RunResult | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_LINE_PREFIX));
  return line === undefined
    ? undefined
    : (JSON.parse(line.slice(RESULT_LINE_PREFIX.length)) as RunResult);
}

export function isConsumeScenario(scenario: Scenario): boolean {
  return scenario !== 'produce';
}
