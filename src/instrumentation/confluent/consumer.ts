/**
 * A consumer of Confluent's KafkaJS API: its deliveries (the same `eachMessage` / `eachBatch`
 * wrapping as KafkaJS's, the payloads having the same shape), its commits, its rebalances, and
 * its statistics. What KafkaJS reports through instrumentation events comes here from the
 * librdkafka consumer underneath: each fetch (`consume`), each assignment change
 * (`assign` / `incrementalAssign`, `unassign` / `incrementalUnassign`) and each commit
 * (`offset.commit`, automatic and explicit alike).
 */
import type { ConsumerRunConfig, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import type { ClientIdentity } from '../client-identity';
import { safely, settle } from '../settle';
import { traceCommit, withInstrumentedHandlers } from '../kafkajs/consumer';
import { ConsumerScope } from '../kafkajs/consumer-scope';
import type {
  CommittedOffset,
  ConfluentConsumer,
  InternalClient,
  LibrdkafkaConsumer,
  LibrdkafkaMessage,
} from './confluent-internals';
import type { ConfluentTelemetry } from './confluent-telemetry';
import { confluentFailureName } from './librdkafka-errors';
import { listenToStatistics } from './statistics-listener';

/** librdkafka's "nothing to commit" (ERR__NO_OFFSET): no commit was sent. */
const NO_OFFSET = -168;

/** The instrumented consumer behind each librdkafka consumer, for the patches down there. */
const consumerOfInternal = new WeakMap<object, InstrumentedConsumer>();
/** The instrumented consumer of each KafkaJS-API consumer. */
const instrumentedConsumers = new WeakMap<object, InstrumentedConsumer>();

/** One instrumented KafkaJS-API consumer. */
export class InstrumentedConsumer {
  readonly scope: ConsumerScope;
  /** When the consumer started (re)joining its group: the run, or the last revocation. */
  private joinStartedAt: number | undefined;

  constructor(
    readonly telemetry: ConfluentTelemetry,
    readonly consumer: ConfluentConsumer,
    client: ClientIdentity,
    readonly group: string,
  ) {
    this.scope = new ConsumerScope(telemetry, client, group);
    instrumentedConsumers.set(consumer, this);
  }

  /** `connect()` created the librdkafka consumer: listen to its commits and statistics. */
  connected() {
    const internal = this.consumer._getInternalClient();
    // A second connect() is refused by the client and keeps the first librdkafka consumer,
    // which already has our listeners.
    if (!internal || consumerOfInternal.has(internal)) return;
    consumerOfInternal.set(internal, this);
    const { telemetry } = this;
    internal.on('offset.commit', (error: unknown, offsets: unknown) => {
      if (!telemetry.isEnabled()) return;
      safely(telemetry.diag, 'commit', () => this.committed(error, offsets));
    });
    listenToStatistics(telemetry, internal, this.consumer, {
      kind: 'consumer',
      clientId: this.scope.client.clientId,
      group: this.group,
    });
  }

  /** `run()`: the handlers are wrapped; the client copies the config the same way itself. */
  run(config: ConsumerRunConfig | undefined, invoke: (config: unknown) => Promise<void>) {
    // librdkafka joins the group once the client consumes, which run() starts.
    this.joinStartedAt = performance.now();
    if (typeof config !== 'object' || config === null) return invoke(config);
    let wrapped: ConsumerRunConfig = config;
    safely(this.telemetry.diag, 'run', () => {
      wrapped = withInstrumentedHandlers(this.scope, config, (handlers) =>
        Object.assign({}, config, handlers),
      );
    });
    return invoke(wrapped);
  }

  /** An explicit `commitOffsets()`: a `commit` span (the commit is counted with the others). */
  commitOffsets(
    offsets: TopicPartitionOffsetAndMetadata[] | null | undefined,
    invoke: () => Promise<void>,
  ) {
    return traceCommit(this.scope, offsets ?? [], invoke);
  }

  /** `disconnect()`: the consumer holds nothing and reports no lag or statistics any more. */
  disconnect(invoke: () => Promise<void>) {
    return settle(this.telemetry.diag, 'disconnect', invoke, () => {
      const { recorder, statistics } = this.telemetry;
      recorder.forgetLag(this.consumer);
      recorder.recordAssignedPartitions(this.group, 0);
      statistics.forget(this.consumer);
    });
  }

  /** One commit librdkafka made (auto-commit or `commitOffsets`), as `offset.commit` reports it. */
  private committed(error: unknown, offsets: unknown) {
    if ((error as { code?: unknown } | null | undefined)?.code === NO_OFFSET) return;
    const topics = new Set<string>();
    if (Array.isArray(offsets)) {
      for (const offset of offsets as CommittedOffset[]) {
        if (typeof offset?.topic === 'string') topics.add(offset.topic);
      }
    }
    const [only] = topics;
    this.telemetry.recorder.recordCommit({
      group: this.group,
      topic: topics.size === 1 ? only : undefined,
      durationSeconds: undefined,
      error: confluentFailureName(error),
    });
  }

  /** The consumer got partitions: a completed rebalance, its duration and the assignment. */
  assigned(internal: InternalClient) {
    const { recorder } = this.telemetry;
    const assignment = currentAssignment(internal);
    const started = this.joinStartedAt;
    this.joinStartedAt = undefined;
    recorder.recordRebalance({
      group: this.group,
      joinDurationSeconds: started === undefined ? undefined : (performance.now() - started) / 1000,
      assignedPartitions: assignment.count,
    });
    recorder.retainLag(this.consumer, assignment.byTopic);
  }

  /** Partitions were taken away: the consumer is rejoining (or leaving) its group. */
  revoked(internal: InternalClient) {
    this.joinStartedAt = performance.now();
    const assignment = currentAssignment(internal);
    this.telemetry.recorder.recordAssignedPartitions(this.group, assignment.count);
    this.telemetry.recorder.retainLag(this.consumer, assignment.byTopic);
  }

  /** A fetch returned: the next message of each partition in it starts a batch (its age counts). */
  fetched(messages: LibrdkafkaMessage[]) {
    let topic: string | undefined;
    let partition: number | undefined;
    for (const message of messages) {
      if (message.topic === topic && message.partition === partition) continue;
      topic = message.topic;
      partition = message.partition;
      if (typeof topic === 'string' && typeof partition === 'number') {
        this.scope.partition(topic, partition).batchStarting = true;
      }
    }
  }
}

/** The librdkafka consumer's assignment, counted and grouped per topic. */
function currentAssignment(internal: InternalClient) {
  const byTopic: Record<string, number[]> = {};
  let count = 0;
  const list = typeof internal.assignments === 'function' ? internal.assignments() : [];
  for (const { topic, partition } of Array.isArray(list) ? list : []) {
    (byTopic[topic] ??= []).push(partition);
    count++;
  }
  return { byTopic, count };
}

/**
 * Wraps librdkafka's `consume(number, callback)`: the KafkaJS API fetches through it, and each
 * fetch is the batch whose first message per partition gives the end-to-end latency.
 */
export function consumePatch() {
  return (original: LibrdkafkaConsumer['consume']): LibrdkafkaConsumer['consume'] =>
    function consume(this: LibrdkafkaConsumer, number, callback) {
      const consumer = consumerOfInternal.get(this);
      if (!consumer?.telemetry.isEnabled() || typeof callback !== 'function') {
        return original.call(this, number, callback);
      }
      return original.call(this, number, (error, messages) => {
        if (Array.isArray(messages) && messages.length > 0) {
          safely(consumer.telemetry.diag, 'consume', () => consumer.fetched(messages));
        }
        callback(error, messages);
      });
    };
}

/**
 * Wraps an assignment change of the librdkafka consumer. The KafkaJS API calls exactly one of
 * them per rebalance callback (librdkafka calls that once to assign, once to revoke), so each
 * is one event, unlike the `rebalance` event the client emits twice per callback.
 */
export function assignmentPatch(change: 'assigned' | 'revoked') {
  return <Method extends (...args: never[]) => unknown>(original: Method): Method =>
    function assignmentChange(this: InternalClient, ...args: Parameters<Method>) {
      const result = original.apply(this, args);
      const consumer = consumerOfInternal.get(this);
      if (consumer?.telemetry.isEnabled()) {
        safely(consumer.telemetry.diag, 'rebalance', () => consumer[change](this));
      }
      return result;
    } as Method;
}

/** The group of a consumer the instrumentation knows (for `sendOffsets`' span). */
export function groupOfConsumer(consumer: unknown): string | undefined {
  if (typeof consumer !== 'object' || consumer === null) return undefined;
  return instrumentedConsumers.get(consumer)?.group;
}
