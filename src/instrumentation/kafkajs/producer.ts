/**
 * A KafkaJS send, from the application's call to the broker's answer: PRODUCER spans (one per
 * message, or one per call), the context they inject into each message's headers, and the send
 * events the recorder counts. `sendBatch` and a transaction's sends take the same path.
 */
import {
  context,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { Message, Producer, ProducerBatch, ProducerRecord, RecordMetadata } from 'kafkajs';
import type { ClientIdentity } from '../client-identity';
import { propagationHeaders } from '../carrier';
import { payloadSize } from '../message-payload';
import { BoundedCache } from '../recorder/bounded-cache';
import { failureName } from '../error-type';
import { safely, settle } from '../settle';
import {
  carriesTraceContext,
  failSpan,
  setBatchSize,
  setClusterId,
  setMessageAttributes,
  setPosition,
  startAttributes,
} from '../spans';
import {
  addHeaders,
  messageCopy,
  optionsCopy,
  SEND_BATCH_OPTIONS,
  SEND_OPTIONS,
  withHeaders,
} from './faithful-copy';
import type { KafkaJsTelemetry } from './kafkajs-telemetry';
import { markInstrumented } from './instrumented-mark';
import { instrumentTransaction } from './producer-transaction';

/**
 * What a message reports (error.type `unanswered`) when its call resolved but KafkaJS's answer
 * has no entry for its partition: Kafka never acknowledged it (see `ProducerSends.unanswered`).
 */
const UNANSWERED = Object.assign(
  new Error('KafkaJS resolved the send without an answer for this partition: not written'),
  { name: 'unanswered' },
);

/** One topic's messages of a send call, as KafkaJS takes them. */
export interface TopicMessages {
  topic: string;
  messages: Message[];
}

/**
 * Where a traced copy keeps its span. A symbol key: KafkaJS encodes only the fields it knows, and
 * the copy is this package's object, never the application's.
 */
const SPAN_OF_COPY = Symbol('kafka-otel.span');
type TracedCopy = Message & { [SPAN_OF_COPY]?: Span };

/** The headers every message of a send gets when nothing traces it (the parent's baggage). */
interface Headers {
  written: Record<string, string> | undefined;
}

/** The spans of one send call and the batches to hand KafkaJS (copies when headers were added). */
interface TracedSend {
  batches: TopicMessages[];
  /** The recording spans started, every one ended once the broker answered. */
  spans: Span[];
  /** The cluster id the spans started with; learned later, it is set when they end. */
  clusterId: string | undefined;
}

/**
 * Wraps `send`, `sendBatch` and `transaction` of one KafkaJS producer in place. The producer
 * object is KafkaJS's; the application's records and messages are never touched: a message that
 * gets trace headers is a shallow copy with a copied header object, which KafkaJS reads as it
 * would read the message (faithful-copy.ts). KafkaJS accepts and rejects exactly what it does
 * without the instrumentation.
 */
export function instrumentProducer(
  producer: Producer,
  telemetry: KafkaJsTelemetry,
  client: ClientIdentity,
) {
  if (!markInstrumented(producer)) return;
  const sends = new ProducerSends(telemetry, client);
  const { send, sendBatch, transaction } = producer;

  producer.send = function instrumentedSend(this: unknown, record) {
    if (!telemetry.isEnabled()) return send.call(this, record);
    return sends.send(undefined, record, (sent) => send.call(this, sent));
  };

  producer.sendBatch = function instrumentedSendBatch(this: unknown, batch) {
    if (!telemetry.isEnabled()) return sendBatch.call(this, batch);
    return sends.sendBatch(undefined, batch, (sent) => sendBatch.call(this, sent));
  };

  producer.transaction = function instrumentedTransaction(this: unknown) {
    if (!telemetry.isEnabled()) return transaction.call(this);
    return instrumentTransaction(telemetry, client, sends, () => transaction.call(this));
  };
}

/** The send path of one producer, with the span attributes it caches per topic. */
export class ProducerSends {
  private readonly spanStarts = new BoundedCache<Attributes>(1_000);

  constructor(
    private readonly telemetry: KafkaJsTelemetry,
    private readonly client: ClientIdentity,
  ) {}

  /**
   * One `send` call. A record of a shape KafkaJS accepts is traced, its messages possibly sent
   * as copies; any other goes to KafkaJS untouched, for KafkaJS to raise its own error.
   * `parent` is the transaction's context for a transactional send.
   */
  send(
    parent: Context | undefined,
    record: ProducerRecord,
    invoke: (record: ProducerRecord) => Promise<RecordMetadata[]>,
  ): Promise<RecordMetadata[]> {
    if (!isRecordShape(record)) return invoke(record);
    return this.observe(parent, [record], ([sent]) =>
      invoke(
        sent === record ? record : optionsCopy(record, SEND_OPTIONS, { messages: sent!.messages }),
      ),
    );
  }

  /** One `sendBatch` call, as {@link send}. */
  sendBatch(
    parent: Context | undefined,
    batch: ProducerBatch,
    invoke: (batch: ProducerBatch) => Promise<RecordMetadata[]>,
  ): Promise<RecordMetadata[]> {
    const topicMessages = topicMessagesOf(batch);
    if (!topicMessages) return invoke(batch);
    return this.observe(parent, topicMessages, (sent) =>
      invoke(
        sent === topicMessages
          ? batch
          : optionsCopy(batch, SEND_BATCH_OPTIONS, { topicMessages: sent }),
      ),
    );
  }

  /**
   * Observes one send call: spans and headers before KafkaJS gets the messages, the send event
   * once the broker answered.
   */
  private observe(
    parent: Context | undefined,
    batches: TopicMessages[],
    invoke: (batches: TopicMessages[]) => Promise<RecordMetadata[]>,
  ): Promise<RecordMetadata[]> {
    const { diag } = this.telemetry;
    const started = performance.now();
    const traced: TracedSend = { batches, spans: [], clusterId: undefined };
    // Should starting fail half-way (a getter of the application's that throws), KafkaJS gets
    // the messages as they were and the spans already started still end with the send.
    safely(diag, 'send', () => this.startSpans(parent ?? context.active(), traced));
    const sent = traced.batches;
    return settle(
      diag,
      'send',
      () => invoke(sent),
      (error, metadata) => {
        const unanswered = error === undefined ? this.unanswered(sent, metadata) : undefined;
        this.recordSend(sent, (performance.now() - started) / 1000, failureName(error), unanswered);
        if (traced.spans.length > 0) this.endSpans(traced, metadata, error, unanswered);
      },
    );
  }

  /**
   * Partitions of a resolved call that its answer does not cover (`topic\u0000partition`), where
   * that can be known. KafkaJS 2.2.4 can resolve a call without having written some of its
   * messages: its retries keep the answers of brokers that answered an earlier attempt and send
   * nothing more to such a broker when it has meanwhile become the leader of a partition of the
   * failed one (tulios/kafkajs#1303). A partition counts only when KafkaJS's grouping of its
   * messages is theirs alone and the same on every attempt: every message has a partition or a
   * key (keyless ones are placed round-robin anew on each retry, so which were dropped cannot be
   * told), and the messages array went to no other topic of the call (the grouping is noted per
   * array). An empty answer is acks=0's: nothing to compare.
   */
  private unanswered(
    batches: TopicMessages[],
    metadata: RecordMetadata[] | undefined,
  ): Set<string> | undefined {
    if (!Array.isArray(metadata) || metadata.length === 0) return undefined;
    const { partitionGrouping } = this.telemetry;
    // The common case, cheaply: as many answers as partitions sent to.
    let sentTo = 0;
    for (const { messages } of batches) {
      for (const _ in partitionGrouping.get(messages)) sentTo++;
    }
    if (metadata.length >= sentTo) return undefined;
    const answered = new Set(metadata.map((entry) => `${entry.topicName}\u0000${entry.partition}`));
    let missing: Set<string> | undefined;
    for (const { topic, messages } of batches) {
      if (batches.some((other) => other.messages === messages && other.topic !== topic)) continue;
      const grouping = partitionGrouping.get(messages);
      for (const partition in grouping) {
        const key = `${topic}\u0000${partition}`;
        if (answered.has(key) || !grouping[partition]!.every(placedByItself)) continue;
        (missing ??= new Set()).add(key);
      }
    }
    return missing;
  }

  /** Starts the producer spans and injects their context into copies of the messages. */
  private startSpans(parent: Context, traced: TracedSend) {
    const { batches, spans } = traced;
    const clusterId = this.clusterId();
    traced.clusterId = clusterId;
    let copied = false;
    const sent = batches.map((batch) => {
      const start = this.spanStart(batch.topic, clusterId);
      const messages = this.telemetry.settings.spanPerMessage
        ? this.spanPerMessage(parent, batch, start, spans)
        : this.spanPerCall(parent, batch, start, spans);
      if (messages === batch.messages) return batch;
      copied = true;
      return { topic: batch.topic, messages };
    });
    if (copied) traced.batches = sent;
  }

  /** `message` mode: a PRODUCER span per message, each message carrying its own span. */
  private spanPerMessage(
    parent: Context,
    batch: TopicMessages,
    start: Attributes,
    spans: Span[],
  ): Message[] {
    const { tracer, settings, diag } = this.telemetry;
    const { topic, messages } = batch;
    const name = `send ${topic}`;
    const options = { kind: SpanKind.PRODUCER, attributes: start };
    let copies: Message[] | undefined;
    let untraced: Headers | undefined;
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index]!;
      let sent = message;
      if (untraced) {
        if (untraced.written) sent = withHeaders(message, untraced.written, false) ?? message;
      } else {
        const span = tracer.startSpan(name, options, parent);
        if (span.isRecording()) {
          spans.push(span);
          setMessageAttributes(
            span,
            message,
            settings.captureMessageKey,
            settings.legacyAttributes,
          );
          const hook = settings.producerHook;
          if (hook) safely(diag, 'producerHook', () => hook(span, { topic, message }));
          const written = propagationHeaders(trace.setSpan(parent, span));
          // The copy carries its span, for the broker's answer to give it partition and offset.
          // A message no copy can stand for goes as it is; its span then ends without them.
          const copy: TracedCopy | undefined = messageCopy(message);
          if (copy) {
            if (written) addHeaders(copy, written, true);
            copy[SPAN_OF_COPY] = span;
            sent = copy;
          }
        } else if (carriesTraceContext(span)) {
          // Not sampled, but the context still travels so the trace stays whole downstream.
          const written = propagationHeaders(trace.setSpan(parent, span));
          if (written) sent = withHeaders(message, written, true) ?? message;
        } else {
          // No tracer provider: every span of this call is the same empty one. Messages carry
          // only what the parent context holds (baggage, say), computed once.
          untraced = { written: propagationHeaders(parent) };
          if (untraced.written) sent = withHeaders(message, untraced.written, false) ?? message;
        }
      }
      if (sent !== message) copies ??= messages.slice(0, index);
      copies?.push(sent);
    }
    return copies ?? messages;
  }

  /** `call` mode: one PRODUCER span per topic of the call; every message carries it. */
  private spanPerCall(
    parent: Context,
    batch: TopicMessages,
    start: Attributes,
    spans: Span[],
  ): Message[] {
    const { topic, messages } = batch;
    const span = this.telemetry.tracer.startSpan(
      `send ${topic}`,
      { kind: SpanKind.PRODUCER, attributes: start },
      parent,
    );
    if (span.isRecording()) {
      setBatchSize(span, messages.length);
      spans.push(span);
    }
    const written = propagationHeaders(trace.setSpan(parent, span));
    if (!written) return messages;
    return messages.map((message) => withHeaders(message, written, false) ?? message);
  }

  /** Start attributes of this producer's spans on `topic`, cached per topic and cluster id. */
  private spanStart(topic: string, clusterId: string | undefined) {
    return this.spanStarts.get(`${topic}\u0000${clusterId}`, () =>
      startAttributes(
        this.client,
        { operation: 'send', topic, clusterId },
        this.telemetry.settings.legacyAttributes,
      ),
    );
  }

  private clusterId(): string | undefined {
    return this.telemetry.clusterIds.of(this.client.serverAddress, this.client.serverPort);
  }

  /**
   * The send event: messages per topic and partition, bytes, and the call's duration. Messages
   * of partitions a resolved call left unanswered are counted as not sent (UNANSWERED).
   */
  private recordSend(
    batches: TopicMessages[],
    seconds: number,
    error: string | undefined,
    unanswered: Set<string> | undefined,
  ) {
    const { recorder, partitionGrouping, settings } = this.telemetry;
    const address = this.client.serverAddress;
    for (const { topic, messages } of batches) {
      const grouping =
        settings.partitionOnMetrics || unanswered ? partitionGrouping.get(messages) : undefined;
      let bytes = 0;
      if (grouping) {
        const perTopic = new Map<string | undefined, number>();
        for (const partition in grouping) {
          const inPartition = grouping[partition]!;
          const lost = unanswered?.has(`${topic}\u0000${partition}`) === true;
          const failure = lost ? UNANSWERED.name : error;
          if (settings.partitionOnMetrics) {
            recorder.recordSent(topic, partition, inPartition.length, address, failure);
          } else {
            perTopic.set(failure, (perTopic.get(failure) ?? 0) + inPartition.length);
          }
          if (failure === undefined) bytes += payloadBytes(inPartition);
        }
        for (const [failure, count] of perTopic) {
          recorder.recordSent(topic, undefined, count, address, failure);
        }
      } else {
        recorder.recordSent(topic, undefined, messages.length, address, error);
        if (error === undefined) bytes = payloadBytes(messages);
      }
      if (error === undefined) recorder.recordSentBytes(topic, bytes);
    }
    const topic = batches.length === 1 ? batches[0]!.topic : undefined;
    recorder.recordSendDuration(topic, address, seconds, error);
  }

  /**
   * Fills partition, offset (and a cluster id learned meanwhile), then ends every span; a
   * message span of an unanswered partition ends failed.
   */
  private endSpans(
    traced: TracedSend,
    metadata: RecordMetadata[] | undefined,
    error: unknown,
    unanswered: Set<string> | undefined,
  ) {
    const { settings } = this.telemetry;
    const legacy = settings.legacyAttributes;
    const lost =
      unanswered && settings.spanPerMessage ? this.spansOf(traced, unanswered) : undefined;
    if (settings.spanPerMessage) this.setPositions(traced, metadata);
    const clusterId = traced.clusterId === undefined ? this.clusterId() : undefined;
    for (const span of traced.spans) {
      if (clusterId !== undefined) setClusterId(span, clusterId, legacy);
      if (error !== undefined) failSpan(span, error);
      else if (lost?.has(span)) failSpan(span, UNANSWERED);
      span.end();
    }
  }

  /** The message spans of the given partitions (`message` mode). */
  private spansOf(traced: TracedSend, partitions: Set<string>): Set<Span> {
    const spans = new Set<Span>();
    for (const { topic, messages } of traced.batches) {
      const grouping = this.telemetry.partitionGrouping.get(messages);
      for (const partition in grouping) {
        if (!partitions.has(`${topic}\u0000${partition}`)) continue;
        for (const message of grouping[partition]! as TracedCopy[]) {
          const span = message[SPAN_OF_COPY];
          if (span) spans.add(span);
        }
      }
    }
    return spans;
  }

  /** Partition and offset of each traced message, from KafkaJS's grouping and the answer. */
  private setPositions(traced: TracedSend, metadata: RecordMetadata[] | undefined) {
    const legacy = this.telemetry.settings.legacyAttributes;
    const baseOffsets = new Map<string, number>();
    for (const entry of metadata ?? []) {
      const base = Number(entry.baseOffset ?? -1);
      // acks=0 answers without offsets (-1): the offset is then unknown, not wrong.
      if (base >= 0) baseOffsets.set(`${entry.topicName}\u0000${entry.partition}`, base);
    }
    for (const { topic, messages } of traced.batches) {
      const perPartition = this.telemetry.partitionGrouping.get(messages);
      for (const partition in perPartition) {
        const base = baseOffsets.get(`${topic}\u0000${partition}`);
        const inPartition = perPartition[partition]! as TracedCopy[];
        for (let index = 0; index < inPartition.length; index++) {
          const span = inPartition[index]![SPAN_OF_COPY];
          const offset = base === undefined ? undefined : base + index;
          if (span) setPosition(span, partition, offset, legacy);
        }
      }
    }
  }
}

/** A message KafkaJS's partitioners place the same way on every attempt: a partition or a key. */
function placedByItself(message: Message): boolean {
  return (
    typeof message.partition === 'number' || (message.key !== undefined && message.key !== null)
  );
}

/** Bytes of the keys and values of `messages`. */
function payloadBytes(messages: Message[]): number {
  let bytes = 0;
  for (const message of messages) bytes += payloadSize(message.key) + payloadSize(message.value);
  return bytes;
}

/**
 * A record KafkaJS accepts: otherwise we step aside and let KafkaJS raise its own error. Never
 * throws: KafkaJS rejects a send (its `send` is async), so a getter of the application's that
 * throws must reach KafkaJS rather than throw from here.
 */
function isRecordShape(record: unknown): record is TopicMessages {
  try {
    if (typeof record !== 'object' || record === null) return false;
    const { topic, messages } = record as Partial<TopicMessages>;
    if (typeof topic !== 'string' || !Array.isArray(messages)) return false;
    // Indexed, not `every`: a hole must read as the missing message KafkaJS fails on.
    for (let index = 0; index < messages.length; index++) {
      const message: unknown = messages[index];
      if (typeof message !== 'object' || message === null) return false;
      if ((message as Message).value === undefined) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The `topicMessages` of a `sendBatch` KafkaJS accepts, or undefined; never throws. */
function topicMessagesOf(batch: unknown): TopicMessages[] | undefined {
  try {
    if (typeof batch !== 'object' || batch === null) return undefined;
    const { topicMessages } = batch as ProducerBatch;
    if (!Array.isArray(topicMessages)) return undefined;
    for (let index = 0; index < topicMessages.length; index++) {
      if (!isRecordShape(topicMessages[index])) return undefined;
    }
    return topicMessages;
  } catch {
    return undefined;
  }
}
