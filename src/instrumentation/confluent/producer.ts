/**
 * A send of Confluent's KafkaJS-API producer, from the application's call to each message's
 * delivery report: PRODUCER spans (one per message, or one per call), the context they inject
 * into each message's headers, and the send events the recorder counts.
 *
 * `send` hands every message to librdkafka's `produce` synchronously, before its first `await`,
 * with an `opaque` holding that message's promise functions, and resolves once every delivery
 * report arrived. So the `send` wrapper opens the send, the `produce` wrapper (on the librdkafka
 * producer) meets its messages one by one in order, and each message's delivery report gives it
 * its partition, offset or error: exactly, message by message, with no grouping to infer.
 */
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import { propagationHeaders } from '../carrier';
import { ATTR_ERROR_TYPE } from '../semconv';
import type { ClientIdentity } from '../client-identity';
import { payloadSize } from '../message-payload';
import { safely, settle } from '../settle';
import {
  carriesTraceContext,
  failSpan,
  setBatchSize,
  setMessageAttributes,
  setPosition,
  startAttributes,
} from '../spans';
import type { ConfluentTelemetry } from './confluent-telemetry';
import { confluentFailureName } from './librdkafka-errors';
import { ProducerTransactions } from './producer-transaction';
import type {
  DeliveryMetadata,
  DeliveryOpaque,
  LibrdkafkaHeaders,
  LibrdkafkaProducer,
} from './confluent-internals';

/** One topic's messages, as `send` takes them. */
interface SendRecord {
  topic: string;
  messages: Message[];
}

/**
 * The send whose messages `produce` is receiving now. `send` calls `produce` synchronously, so
 * nothing else can run in between: one slot serves the process (a `sendBatch` nests its sends,
 * each restoring the slot it found).
 */
let producing: OpenSend | undefined;

/** What one producer's sends share: identity, its transactions, span start attributes. */
export class ProducerSends {
  readonly transactions: ProducerTransactions;
  /** Inside a `sendBatch` call: its sends are timed as one operation, the batch's. */
  private batchDepth = 0;
  private spanStart: ReturnType<typeof startAttributes> | undefined;
  private spanStartTopic: string | undefined;

  constructor(
    readonly telemetry: ConfluentTelemetry,
    readonly client: ClientIdentity,
  ) {
    this.transactions = new ProducerTransactions(telemetry, client);
  }

  /** One `send` call: observed when the record has the shape the client accepts. */
  send(record: unknown, invoke: () => Promise<unknown>): Promise<unknown> {
    if (!isRecordShape(record)) return invoke();
    const parent = this.transactions.context ?? context.active();
    let open: OpenSend | undefined;
    safely(this.telemetry.diag, 'send', () => {
      open = new OpenSend(this, record, parent, this.startAttributes(record.topic));
      open.timedByBatch = this.batchDepth > 0;
    });
    if (!open) return invoke();
    const observed = open;
    return settle(
      this.telemetry.diag,
      'send',
      () => {
        const previous = producing;
        producing = observed;
        try {
          return invoke();
        } finally {
          producing = previous;
        }
      },
      (error) => {
        this.transactions.noteFailure(error);
        observed.callSettled(error);
      },
    );
  }

  /**
   * One `sendBatch` call. The client's `sendBatch` calls `send` once per topic, synchronously,
   * before its first `await`: those sends keep their spans and counts, but the operation timed
   * is the batch, once, as for KafkaJS (with a destination only when it names one topic).
   */
  sendBatch(batch: unknown, invoke: () => Promise<unknown>): Promise<unknown> {
    const started = performance.now();
    const topic = singleTopicOf(batch);
    return settle(
      this.telemetry.diag,
      'sendBatch',
      () => {
        this.batchDepth++;
        try {
          return invoke();
        } finally {
          this.batchDepth--;
        }
      },
      (error) => {
        const seconds = (performance.now() - started) / 1000;
        const address = this.client.serverAddress;
        const failure = confluentFailureName(error);
        this.telemetry.recorder.recordSendDuration(topic, address, seconds, failure);
      },
    );
  }

  /** Start attributes of this producer's spans on `topic` (the last topic's are kept). */
  startAttributes(topic: string) {
    if (this.spanStartTopic !== topic || this.spanStart === undefined) {
      this.spanStart = startAttributes(
        this.client,
        { operation: 'send', topic },
        this.telemetry.settings.legacyAttributes,
      );
      this.spanStartTopic = topic;
    }
    return this.spanStart;
  }
}

/** How many messages of a send went where, and how: one recorder call per group at the end. */
interface Tally {
  partition: number | undefined;
  error: string | undefined;
  messages: number;
}

/** A send in flight: its messages as `produce` meets them, until every one has a report. */
class OpenSend {
  private readonly started = performance.now();
  /** A send of a `sendBatch` call, which is timed as a whole instead. */
  timedByBatch = false;
  private readonly messages: Message[];
  private readonly topic: string;
  /** Messages handed to `produce`, and how many of them have their delivery report. */
  private produced = 0;
  private reported = 0;
  private callEnded = false;
  private readonly tallies = new Map<string, Tally>();
  private deliveredBytes = 0;
  /** `call` mode: the call's span and the headers every message carries. */
  private callSpan: Span | undefined;
  private callHeaders: Record<string, string> | undefined;
  /** `message` mode, when no span records: what every message carries (the parent's baggage). */
  private untracedHeaders: Record<string, string> | undefined | null = null;

  constructor(
    private readonly sends: ProducerSends,
    record: SendRecord,
    private readonly parent: Context,
    private readonly start: ReturnType<typeof startAttributes>,
  ) {
    this.topic = record.topic;
    this.messages = record.messages;
    if (!sends.telemetry.settings.spanPerMessage) this.startCallSpan();
  }

  /**
   * One message reaches librdkafka's `produce` (this `send`'s next one): its span starts, the
   * headers it is produced with carry the context, and its delivery report is observed. Returns
   * the headers and opaque to produce it with.
   */
  produce(
    partition: unknown,
    key: unknown,
    value: unknown,
    headers: LibrdkafkaHeaders | null | undefined,
    opaque: DeliveryOpaque,
  ): Produced {
    const message = this.messages[this.produced];
    this.produced++;
    const bytes = payloadSize(key) + payloadSize(value);
    const chosen = typeof partition === 'number' && partition >= 0 ? partition : undefined;
    let span: Span | undefined;
    let written: Record<string, string> | undefined;
    if (this.callSpan !== undefined || this.callHeaders !== undefined) {
      written = this.callHeaders;
    } else if (this.sends.telemetry.settings.spanPerMessage) {
      const traced = this.messageSpan(message, key, value);
      span = traced.span;
      written = traced.written;
    }
    const delivery: DeliveryOpaque = {
      resolve: (metadata: DeliveryMetadata) => {
        safely(this.sends.telemetry.diag, 'send', () => this.delivered(span, bytes, metadata));
        opaque.resolve(metadata);
      },
      reject: (error: unknown) => {
        safely(this.sends.telemetry.diag, 'send', () => this.failed(span, chosen, error));
        opaque.reject(error);
      },
    };
    return { headers: written ? withHeaders(headers, written) : headers, opaque: delivery, span };
  }

  /** `produce` threw for a message: the send rejects that message without a delivery report. */
  produceThrew(partition: unknown, error: unknown, span: Span | undefined) {
    const chosen = typeof partition === 'number' && partition >= 0 ? partition : undefined;
    this.failed(span, chosen, error);
  }

  /**
   * The `send` call settled: its duration, and the messages it never handed to `produce` (the
   * client refused the call or one message first) fail with the call's error.
   */
  callSettled(error: unknown) {
    const { recorder } = this.sends.telemetry;
    const seconds = (performance.now() - this.started) / 1000;
    const failure = confluentFailureName(error);
    if (!this.timedByBatch) {
      recorder.recordSendDuration(this.topic, this.sends.client.serverAddress, seconds, failure);
    }
    const unproduced = this.messages.length - this.produced;
    if (unproduced > 0 && failure !== undefined) {
      this.tally(undefined, failure, unproduced);
      if (this.sends.telemetry.settings.spanPerMessage) {
        for (let index = this.produced; index < this.messages.length; index++) {
          const { span } = this.messageSpan(this.messages[index], undefined, undefined, false);
          if (span) {
            failConfluentSpan(span, error);
            span.end();
          }
        }
      }
    }
    if (this.callSpan) {
      if (error !== undefined) failConfluentSpan(this.callSpan, error);
      this.callSpan.end();
    }
    this.callEnded = true;
    this.flushWhenComplete();
  }

  private delivered(span: Span | undefined, bytes: number, metadata: DeliveryMetadata) {
    const partition = Number(metadata?.partition);
    const known = Number.isInteger(partition) && partition >= 0 ? partition : undefined;
    this.tally(known, undefined, 1);
    this.deliveredBytes += bytes;
    if (span) {
      const offset = Number(metadata?.baseOffset ?? -1);
      // acks=0 reports no offset (-1): the offset is then unknown, not wrong.
      const position = Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
      if (known !== undefined) {
        setPosition(span, String(known), position, this.sends.telemetry.settings.legacyAttributes);
      }
      span.end();
    }
    this.reported++;
    this.flushWhenComplete();
  }

  private failed(span: Span | undefined, partition: number | undefined, error: unknown) {
    this.tally(partition, confluentFailureName(error) ?? 'delivery_failed', 1);
    if (span) {
      if (partition !== undefined) {
        setPosition(
          span,
          String(partition),
          undefined,
          this.sends.telemetry.settings.legacyAttributes,
        );
      }
      failConfluentSpan(span, error);
      span.end();
    }
    this.reported++;
    this.flushWhenComplete();
  }

  private tally(partition: number | undefined, error: string | undefined, messages: number) {
    const onMetrics = this.sends.telemetry.settings.partitionOnMetrics ? partition : undefined;
    const key = `${onMetrics}\u0000${error}`;
    const tally = this.tallies.get(key);
    if (tally) tally.messages += messages;
    else this.tallies.set(key, { partition: onMetrics, error, messages });
  }

  /** Once the call ended and every produced message reported: the send's counts, in one go. */
  private flushWhenComplete() {
    if (!this.callEnded || this.reported < this.produced) return;
    const { recorder } = this.sends.telemetry;
    const address = this.sends.client.serverAddress;
    for (const { partition, error, messages } of this.tallies.values()) {
      recorder.recordSent(this.topic, partition, messages, address, error);
    }
    this.tallies.clear();
    if (this.deliveredBytes > 0) recorder.recordSentBytes(this.topic, this.deliveredBytes);
    this.deliveredBytes = 0;
  }

  /** `message` mode: a span for one message, and what its headers must carry. */
  private messageSpan(
    message: Message | undefined,
    key: unknown,
    value: unknown,
    inject = true,
  ): { span: Span | undefined; written: Record<string, string> | undefined } {
    const { tracer, settings, diag } = this.sends.telemetry;
    if (this.untracedHeaders !== null) return { span: undefined, written: this.untracedHeaders };
    const span = tracer.startSpan(
      `send ${this.topic}`,
      { kind: SpanKind.PRODUCER, attributes: this.start },
      this.parent,
    );
    if (span.isRecording()) {
      const facts = message ?? { key, value };
      setMessageAttributes(span, facts, settings.captureMessageKey, settings.legacyAttributes);
      const hook = settings.producerHook;
      if (hook && message) {
        safely(diag, 'producerHook', () => hook(span, { topic: this.topic, message }));
      }
      return {
        span,
        written: inject ? propagationHeaders(trace.setSpan(this.parent, span)) : undefined,
      };
    }
    if (carriesTraceContext(span)) {
      // Not sampled: the context still travels, so the trace stays whole downstream.
      return { span: undefined, written: propagationHeaders(trace.setSpan(this.parent, span)) };
    }
    // No tracer provider: every span is the same empty one. Messages carry only what the
    // parent context holds (baggage, say), computed once per send.
    this.untracedHeaders = propagationHeaders(this.parent);
    return { span: undefined, written: this.untracedHeaders };
  }

  /** `call` mode: one span for the call (its topic); every message carries it. */
  private startCallSpan() {
    const { tracer } = this.sends.telemetry;
    const span = tracer.startSpan(
      `send ${this.topic}`,
      { kind: SpanKind.PRODUCER, attributes: this.start },
      this.parent,
    );
    if (span.isRecording()) {
      setBatchSize(span, this.messages.length);
      this.callSpan = span;
    }
    this.callHeaders = propagationHeaders(trace.setSpan(this.parent, span));
  }

  /** Whether a `produce` call belongs to this send: its topic, a message left, a send's opaque. */
  accepts(topic: unknown, opaque: unknown): opaque is DeliveryOpaque {
    return (
      topic === this.topic &&
      this.produced < this.messages.length &&
      typeof opaque === 'object' &&
      opaque !== null &&
      typeof (opaque as DeliveryOpaque).resolve === 'function' &&
      typeof (opaque as DeliveryOpaque).reject === 'function'
    );
  }

  /** The instrumentation this send belongs to. */
  get owner(): ConfluentTelemetry {
    return this.sends.telemetry;
  }
}

/** What a message is produced with once observed, and its span (message mode, recording). */
interface Produced {
  headers: LibrdkafkaHeaders | null | undefined;
  opaque: DeliveryOpaque;
  span: Span | undefined;
}

/**
 * The headers to produce a message with: its own (librdkafka's list of `{ name: value }`),
 * without any of the names the propagator writes, then ours. A trace context forwarded from a
 * consumed message is replaced, as KafkaJS's instrumentation replaces it.
 */
function withHeaders(
  own: LibrdkafkaHeaders | null | undefined,
  written: Record<string, string>,
): LibrdkafkaHeaders {
  const headers: LibrdkafkaHeaders = [];
  if (Array.isArray(own)) {
    for (const header of own) {
      let ours = false;
      if (typeof header === 'object' && header !== null) {
        // Own names only: `written` is a plain object, and `in` would also find `toString`.
        for (const name in header) if (Object.hasOwn(written, name)) ours = true;
      }
      if (!ours) headers.push(header);
    }
  }
  for (const name in written) headers.push({ [name]: written[name] });
  return headers;
}

/**
 * Wraps librdkafka's `produce`: a message of an observed send gets its span, headers and
 * delivery observer; anything else (the rdkafka API, a send made while disabled) passes as it is.
 * One wrapper serves every instance of the instrumentation: the open send carries its own.
 */
export function producePatch() {
  return (original: LibrdkafkaProducer['produce']): LibrdkafkaProducer['produce'] =>
    function produce(
      this: LibrdkafkaProducer,
      topic,
      partition,
      value,
      key,
      timestamp,
      opaque,
      headers,
    ) {
      const open = producing;
      if (open === undefined || !open.accepts(topic, opaque)) {
        return original.call(this, topic, partition, value, key, timestamp, opaque, headers);
      }
      const { diag } = open.owner;
      let produced: Produced = { headers, opaque, span: undefined };
      safely(diag, 'send', () => {
        produced = open.produce(partition, key, value, headers, opaque);
      });
      try {
        return original.call(
          this,
          topic,
          partition,
          value,
          key,
          timestamp,
          produced.opaque,
          produced.headers,
        );
      } catch (error) {
        safely(diag, 'send', () => open.produceThrew(partition, error, produced.span));
        throw error;
      }
    };
}

/** The one topic a `sendBatch` names, or undefined (several, none, unreadable); never throws. */
function singleTopicOf(batch: unknown): string | undefined {
  try {
    const topicMessages = (batch as { topicMessages?: unknown } | null)?.topicMessages;
    if (!Array.isArray(topicMessages)) return undefined;
    const topics = new Set<unknown>();
    for (const entry of topicMessages) topics.add((entry as { topic?: unknown } | null)?.topic);
    const [only] = topics;
    return topics.size === 1 && typeof only === 'string' ? only : undefined;
  } catch {
    return undefined;
  }
}

/** A record the client accepts, read without throwing (a getter of the application's may). */
function isRecordShape(record: unknown): record is SendRecord {
  try {
    if (typeof record !== 'object' || record === null) return false;
    const { topic, messages } = record as Partial<SendRecord>;
    return typeof topic === 'string' && Array.isArray(messages);
  } catch {
    return false;
  }
}

/** A failed span, its `error.type` named as the client's errors are (see librdkafka-errors.ts). */
function failConfluentSpan(span: Span, error: unknown) {
  failSpan(span, error);
  const name = confluentFailureName(error);
  if (name !== undefined) span.setAttribute(ATTR_ERROR_TYPE, name);
}
