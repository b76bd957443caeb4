import { SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import {
  carriesTraceFields,
  extractCarried,
  traceFields,
  withCarriedBaggage,
  type CarriedContext,
  type MessageHeaders,
} from '../carrier';
import type { ClientIdentity } from '../client-identity';
import type { ConsumerSeries } from '../recorder/consumer-series';
import { safely } from '../settle';
import {
  carriesTraceContext,
  setMessageAttributes,
  setPosition,
  type SpanOperation,
  startAttributes,
} from '../spans';
import type { Telemetry } from '../telemetry';
import type { ClusterIds } from './cluster-ids';

/**
 * What a consumer scope needs of the instrumentation: the telemetry, and the cluster ids the
 * client library taught it (none for a library that never says).
 */
export interface ConsumerTelemetry extends Telemetry {
  readonly clusterIds: ClusterIds;
}

/** What a consumer tracks per partition it reads. */
export interface PartitionState {
  series: ConsumerSeries;
  /**
   * KafkaJS started a batch of this partition and no message of it reached the handler yet: the
   * next `eachMessage` call is the batch's first, whose age is the batch's end-to-end latency.
   */
  batchStarting: boolean;
}

/** What a consumer caches per topic: partition states and span start attributes. */
interface TopicState {
  partitions: (PartitionState | undefined)[];
  /** Span start attributes per operation, for the cluster id they were built with. */
  starts: Partial<Record<SpanOperation, Attributes>>;
  clusterId: string | undefined;
}

/** Where a handler runs: its span (when one records) and its context (when it differs). */
export interface Placement {
  span: Span | undefined;
  context: Context | undefined;
}

const NOT_PLACED: Placement = Object.freeze({ span: undefined, context: undefined });

/**
 * One instrumented consumer of the KafkaJS API (KafkaJS itself, or Confluent's client through
 * its KafkaJS-compatible API): what its handlers, commit span and group listeners share, with
 * the per-topic caches that keep a delivered message to a few lookups.
 */
export class ConsumerScope {
  private readonly topics = new Map<string, TopicState>();
  private clusterId: string | undefined;
  private propagatorTraceFields: string[] | undefined;

  constructor(
    readonly telemetry: ConsumerTelemetry,
    readonly client: ClientIdentity,
    readonly group: string,
  ) {}

  /** One partition's state, with its recorder series (per topic when partitions are off metrics). */
  partition(topic: string, partition: number): PartitionState {
    const state = this.topic(topic);
    let partitionState = state.partitions[partition];
    if (partitionState === undefined) {
      const { recorder, settings } = this.telemetry;
      const series = recorder.consumer(
        this.group,
        topic,
        settings.partitionOnMetrics ? partition : undefined,
      );
      partitionState = { series, batchStarting: false };
      state.partitions[partition] = partitionState;
    }
    return partitionState;
  }

  /** Start attributes of a span of this consumer, cached per topic and cluster id. */
  spanStart(operation: SpanOperation, topic: string | undefined): Attributes {
    const clusterId = this.currentClusterId();
    if (topic === undefined) return this.buildSpanStart(operation, undefined, clusterId);
    const state = this.topic(topic);
    if (state.clusterId !== clusterId) {
      state.clusterId = clusterId;
      state.starts = {};
    }
    return (state.starts[operation] ??= this.buildSpanStart(operation, topic, clusterId));
  }

  private buildSpanStart(
    operation: SpanOperation,
    topic: string | undefined,
    clusterId: string | undefined,
  ): Attributes {
    const scope = { operation, topic, group: this.group, clusterId };
    return startAttributes(this.client, scope, this.telemetry.settings.legacyAttributes);
  }

  /**
   * What a consumed message carries through the global propagator. A trace context header that
   * is present but unreadable is counted and otherwise ignored: a corrupt header must not break
   * consumption.
   */
  carried(headers: MessageHeaders | undefined): CarriedContext {
    const carried = extractCarried(headers);
    if (carried.producer === undefined && headers !== undefined) {
      // Read once per consumer: the propagator is set at startup, before consumers run.
      this.propagatorTraceFields ??= traceFields();
      if (carriesTraceFields(headers, this.propagatorTraceFields)) {
        this.telemetry.recorder.recordInvalidTraceContext(this.group);
        this.telemetry.diag.debug('kafka-otel: ignored a malformed trace context header');
      }
    }
    return carried;
  }

  /**
   * Starts the `process` span of one message: child of the producer's span when
   * `producerAsParent` (else of `parent`, linked to the producer), in a context that also holds
   * the baggage the message carries. When nothing traces and the message carries nothing, the
   * handler runs in the context it already had. `startTime` is epoch milliseconds (now if absent).
   */
  placeProcess(
    topic: string,
    partition: number,
    message: KafkaMessage,
    parent: Context,
    carried: CarriedContext,
    producerAsParent: boolean,
    startTime?: number,
  ): Placement {
    const { tracer, settings, diag } = this.telemetry;
    const asParent = producerAsParent && carried.producer !== undefined;
    const spanParent = asParent ? carried.context : withCarriedBaggage(parent, carried.context);
    const link = !asParent && carried.producer ? [{ context: carried.producer }] : undefined;
    const span = tracer.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: this.spanStart('process', topic),
        links: link,
        startTime,
      },
      spanParent,
    );
    if (span.isRecording()) {
      setPosition(span, String(partition), Number(message.offset), settings.legacyAttributes);
      setMessageAttributes(span, message, settings.captureMessageKey, settings.legacyAttributes);
      const hook = settings.consumerHook;
      if (hook) safely(diag, 'consumerHook', () => hook(span, { topic, partition, message }));
      return { span, context: trace.setSpan(spanParent, span) };
    }
    if (carriesTraceContext(span)) {
      return { span: undefined, context: trace.setSpan(spanParent, span) };
    }
    return spanParent === parent ? NOT_PLACED : { span: undefined, context: spanParent };
  }

  private currentClusterId(): string | undefined {
    this.clusterId ??= this.telemetry.clusterIds.of(
      this.client.serverAddress,
      this.client.serverPort,
    );
    return this.clusterId;
  }

  private topic(topic: string): TopicState {
    let state = this.topics.get(topic);
    if (state === undefined) {
      state = { partitions: [], starts: {}, clusterId: undefined };
      this.topics.set(topic, state);
    }
    return state;
  }
}
