/**
 * Instrumented and bare KafkaJS accept and reject exactly the same inputs (issue #10). Every odd
 * input of the tables below goes to the real broker three times: through clients made while the
 * instrumentation is disabled (KafkaJS's own methods, never wrapped), and through instrumented
 * clients with a span per message and with a span per call. The outcomes must be the same:
 * resolved, rejected or thrown alike, with the same error class and message, the same answer
 * from the broker, and the same records in the log (keys, values, headers) but for the
 * propagation headers the instrumentation adds. On the consumer side: the same run outcome, the
 * same messages handed to the handler, and the same committed offsets.
 */
import { propagation } from '@opentelemetry/api';
import type {
  Consumer,
  EachBatchPayload,
  EachMessagePayload,
  ICustomPartitioner,
  Kafka,
  KafkaMessage,
  Producer,
  ProducerConfig,
  Transaction,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaJsInstrumentationConfig } from '../../../src';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, instrumentation, kafkajs, createKafka, createTopic, shutdown } =
  instrumentKafkaJs();

/** How the instrumentation marks a client it wrapped (instrumented-mark.ts). */
const INSTRUMENTED = Symbol.for('kafka-otel.instrumented');
/** The value of the records that close each case's stretch of the log. */
const BARRIER = 'same-inputs-barrier';
/** The topics of the producer cases have two partitions: explicit partitions must matter. */
const PARTITIONS = [0, 1];
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

// ---------------------------------------------------------------------------------------------
// Modes: bare KafkaJS and the instrumentation's two producer span modes
// ---------------------------------------------------------------------------------------------

interface Mode {
  name: string;
  /** The instrumentation's configuration; undefined: bare KafkaJS (instrumentation disabled). */
  config: KafkaJsInstrumentationConfig | undefined;
  /** The topic this mode's producer cases write to. */
  topic: string;
  /** Where the next case's records start, per partition. */
  next: number[];
  /** A long-lived producer of this mode that writes the barrier after each case. */
  barrier: Producer;
}

let kafka: Kafka;
let bare: Mode;
let messageSpans: Mode;
let callSpans: Mode;
let log: RecordLog;
let collector: Consumer;

/**
 * Runs `work` in `mode`: with the instrumentation disabled for bare KafkaJS, so that clients
 * made in it keep KafkaJS's own methods and the connection patch is removed (what KafkaJS
 * captured at load, the partition grouping say, passes straight through); else with its config.
 */
async function inMode<T>(mode: Pick<Mode, 'config'>, work: () => Promise<T>): Promise<T> {
  if (mode.config) instrumentation.setConfig(mode.config);
  else instrumentation.disable();
  try {
    return await work();
  } finally {
    if (mode.config) instrumentation.setConfig({});
    else instrumentation.enable();
  }
}

/** The mode's client, checked to be instrumented exactly when the mode is. */
function checkedClient<Client extends object>(mode: Pick<Mode, 'config'>, client: Client): Client {
  const instrumented = (client as { [INSTRUMENTED]?: true })[INSTRUMENTED] === true;
  expect(instrumented, 'client instrumented in an instrumented mode only').toBe(!!mode.config);
  return client;
}

/**
 * KafkaJS's default partitioner, except that a message with neither key nor partition goes to
 * partition 0 instead of a random one: runs in different modes must be comparable record by
 * record. It reads `partition` and `key` the way the default one does.
 */
const comparablePartitioner: ICustomPartitioner = () => {
  const byDefault = kafkajs.Partitioners.DefaultPartitioner();
  return (args) =>
    args.message.partition == null && args.message.key == null ? 0 : byDefault(args);
};

type ProducerKind = 'idempotent' | 'plain' | 'transactional';

function producerConfig(kind: ProducerKind): ProducerConfig {
  const common = { createPartitioner: comparablePartitioner, allowAutoTopicCreation: false };
  // Idempotent wherever the case allows: a Produce retried on a loaded machine must not write
  // a batch twice. `plain` is for the cases about acks other than -1.
  if (kind === 'plain') return common;
  const idempotent = { ...common, idempotent: true, maxInFlightRequests: 1 };
  if (kind === 'idempotent') return idempotent;
  return { ...idempotent, transactionalId: randomGroup('same-inputs-txn') };
}

// ---------------------------------------------------------------------------------------------
// What a case's run produced
// ---------------------------------------------------------------------------------------------

/** Every record the modes write, by topic, partition and offset, read with a bare consumer. */
class RecordLog {
  private readonly records = new Map<string, KafkaMessage>();

  readonly onMessage = ({ topic, partition, message }: EachMessagePayload) => {
    this.records.set(`${topic}/${partition}/${message.offset}`, message);
    return Promise.resolve();
  };

  has(topic: string, partition: number, offset: number): boolean {
    return this.records.has(`${topic}/${partition}/${offset}`);
  }

  /** The records at offsets from..to-1 (transaction markers and aborted records are absent). */
  range(topic: string, partition: number, from: number, to: number): KafkaMessage[] {
    const found: KafkaMessage[] = [];
    for (let offset = from; offset < to; offset++) {
      const record = this.records.get(`${topic}/${partition}/${offset}`);
      if (record) found.push(record);
    }
    return found;
  }
}

type HeaderView = string | null | HeaderView[];

/** A record as compared across modes: the propagation headers are the instrumentation's own. */
interface RecordView {
  partition: number;
  key: string | null;
  value: string | null;
  headers: Record<string, HeaderView>;
  timestamp?: string;
}

function headerView(value: unknown): HeaderView {
  if (Array.isArray(value)) return value.map(headerView);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return value == null ? null : `unexpected ${typeof value}`;
}

function recordView(partition: number, message: KafkaMessage, timestamps: boolean): RecordView {
  const ours = new Set(propagation.fields());
  const headers: Record<string, HeaderView> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!ours.has(name)) headers[name] = headerView(value);
  }
  const view: RecordView = {
    partition,
    key: message.key?.toString('utf8') ?? null,
    value: message.value?.toString('utf8') ?? null,
    headers,
  };
  if (timestamps) view.timestamp = message.timestamp;
  return view;
}

type Outcome =
  | { kind: 'resolved'; value: unknown }
  | { kind: 'rejected' | 'threw'; errorClass: unknown; name: unknown; message: string };

/** Error messages of KafkaJS name the topic, which differs per mode. */
function failure(kind: 'rejected' | 'threw', error: unknown, topic: string): Outcome {
  const { constructor, name, message } = (error ?? {}) as Error;
  const text = typeof message === 'string' ? message : String(error);
  return { kind, errorClass: constructor, name, message: text.split(topic).join('<topic>') };
}

/** What a call gave: its value, or how it failed, telling a synchronous throw from a rejection. */
async function outcomeOf(
  call: () => unknown,
  topic: string,
  normalise: (value: unknown) => unknown = (value) => value,
): Promise<Outcome> {
  let pending: unknown;
  try {
    pending = call();
  } catch (error) {
    return failure('threw', error, topic);
  }
  try {
    return { kind: 'resolved', value: normalise(await pending) };
  } catch (error) {
    return failure('rejected', error, topic);
  }
}

/**
 * The broker's answer, with the topic and offsets relative to where the case started, in
 * partition order: the broker lists the partitions of one request in an order of its own.
 */
function metadataView(value: unknown, topic: string, start: number[]): unknown {
  if (!Array.isArray(value)) return value;
  type Entry = { topicName?: string; partition: number; baseOffset?: string };
  return (value as Entry[])
    .map((entry) => ({
      ...entry,
      topicName: entry.topicName === topic ? '<topic>' : entry.topicName,
      baseOffset:
        entry.baseOffset === undefined || Number(entry.baseOffset) < 0
          ? entry.baseOffset
          : Number(entry.baseOffset) - (start[entry.partition] ?? 0),
    }))
    .sort((a, b) => a.partition - b.partition);
}

// ---------------------------------------------------------------------------------------------
// Producer cases
// ---------------------------------------------------------------------------------------------

interface ProducerCase {
  name: string;
  /** `send` by default. */
  call?: 'send' | 'sendBatch';
  /** `idempotent` by default. */
  producer?: ProducerKind;
  /** The argument of the call, built afresh for every run so that no run sees another's. */
  input: (topic: string) => unknown;
  /** acks=0: no answer, so the barrier must follow on the same connection to order after it. */
  unacknowledged?: boolean;
  /** The case sets timestamps: compare them too. */
  timestamps?: boolean;
}

interface CaseRun {
  outcome: Outcome;
  /** The transaction's end, for a transactional case. */
  ended?: string;
  records: RecordView[];
  /** How many of the records carry a propagation header (not compared across modes). */
  propagated: number;
}

const record = (topic: string, ...messages: unknown[]) => ({ topic, messages });

/** A message whose value is a getter of its class: read by `message.value`, not by a spread. */
class MessageWithClassValue {
  key = 'class-value';
  get value() {
    return 'from-the-class';
  }
}

/** A record whose acks come from its class: read by destructuring, not by a spread. */
class RecordWithClassAcks {
  constructor(
    readonly topic: string,
    readonly messages: unknown[],
  ) {}
  get acks() {
    return 1;
  }
}

/** The same for `sendBatch`. */
class BatchWithClassAcks {
  constructor(readonly topicMessages: unknown[]) {}
  get acks() {
    return 1;
  }
}

/** A property descriptor whose getter throws, as a broken application object might. */
const throwingGetter = (name: string) => ({
  enumerable: true,
  get(): never {
    throw new Error(`${name} getter fails`);
  },
});

const HEADER_CASES: ProducerCase[] = [
  {
    name: 'a plain message (headers undefined)',
    input: (t) => record(t, { key: 'k', value: 'a' }),
  },
  { name: 'headers: null', input: (t) => record(t, { value: 'a', headers: null }) },
  {
    name: 'headers null on the second message only',
    input: (t) => record(t, { value: 'a' }, { value: 'b', headers: null }),
  },
  {
    name: 'header objects: empty; string, Buffer and repeated values',
    input: (t) =>
      record(
        t,
        { value: 'a', headers: {} },
        { value: 'b', headers: { s: 'x', b: Buffer.from('y'), r: ['1', Buffer.from('2')] } },
      ),
  },
  {
    name: 'headers that are false, 0 and the empty string',
    input: (t) =>
      record(
        t,
        { value: 'a', headers: false },
        { value: 'b', headers: 0 },
        { value: 'c', headers: '' },
      ),
  },
  {
    name: 'headers that are a string, a number, true and a symbol',
    input: (t) =>
      record(
        t,
        { value: 'a', headers: 'ab' },
        { value: 'b', headers: 7 },
        { value: 'c', headers: true },
        { value: 'd', headers: Symbol('h') },
      ),
  },
  {
    name: 'headers that are an array',
    input: (t) => record(t, { value: 'a', headers: ['x', 'y'] }),
  },
  {
    name: 'headers that are a Buffer',
    input: (t) => record(t, { value: 'a', headers: Buffer.from('hi') }),
  },
  {
    name: 'headers that are a Map',
    input: (t) => record(t, { value: 'a', headers: new Map([['h', '1']]) }),
  },
  {
    name: 'headers that are a function with a property',
    input: (t) => record(t, { value: 'a', headers: Object.assign(() => undefined, { h: '1' }) }),
  },
  {
    name: 'a header value that is a number',
    input: (t) => record(t, { value: 'a', headers: { h: 5 } }),
  },
  {
    name: 'a header value that is null',
    input: (t) => record(t, { value: 'a', headers: { h: null } }),
  },
  {
    name: 'a propagation header that is a number',
    input: (t) => record(t, { value: 'a', headers: { traceparent: 5 } }),
  },
  {
    name: 'a propagation header that is null',
    input: (t) => record(t, { value: 'a', headers: { traceparent: null } }),
  },
  {
    name: 'a propagation header that is undefined',
    input: (t) => record(t, { value: 'a', headers: { traceparent: undefined } }),
  },
  {
    name: 'a propagation header that is an object',
    input: (t) => record(t, { value: 'a', headers: { tracestate: { a: 'b' } } }),
  },
  {
    name: 'a repeated propagation header holding a number',
    input: (t) => record(t, { value: 'a', headers: { traceparent: [TRACEPARENT, 5] } }),
  },
  {
    name: 'propagation headers forwarded from a consumed message (Buffers, strings, repeated)',
    input: (t) =>
      record(
        t,
        { value: 'a', headers: { traceparent: Buffer.from(TRACEPARENT), other: 'kept' } },
        { value: 'b', headers: { traceparent: TRACEPARENT, tracestate: 'vendor=1' } },
        { value: 'c', headers: { traceparent: [Buffer.from(TRACEPARENT)], tracestate: [] } },
      ),
  },
  {
    name: 'frozen headers',
    input: (t) => record(t, { value: 'a', headers: Object.freeze({ h: '1' }) }),
  },
  {
    name: 'headers with an inherited and a non-enumerable field',
    input: (t) => {
      const headers = Object.create({ inherited: 'x', traceparent: 5 }) as object;
      Object.defineProperty(headers, 'hidden', { value: 5, enumerable: false });
      return record(t, { value: 'a', headers: Object.assign(headers, { own: '1' }) });
    },
  },
  {
    name: 'headers with a getter',
    input: (t) =>
      record(t, {
        value: 'a',
        headers: Object.defineProperty({}, 'h', { enumerable: true, get: () => 'from-getter' }),
      }),
  },
  {
    name: 'headers whose getter throws',
    input: (t) =>
      record(t, { value: 'a', headers: Object.defineProperty({}, 'h', throwingGetter('h')) }),
  },
  {
    name: 'a message whose headers getter throws',
    input: (t) =>
      record(
        t,
        { value: 'a' },
        Object.defineProperty({ value: 'b' }, 'headers', throwingGetter('headers')),
      ),
  },
];

const MESSAGE_CASES: ProducerCase[] = [
  { name: 'a null message', input: (t) => record(t, { value: 'a' }, null) },
  { name: 'an undefined message', input: (t) => record(t, undefined) },
  { name: 'a string message', input: (t) => record(t, 'a') },
  { name: 'a number message', input: (t) => record(t, 42) },
  { name: 'a message without value', input: (t) => record(t, { key: 'k' }) },
  { name: 'a message whose value is undefined', input: (t) => record(t, { value: undefined }) },
  {
    name: 'tombstones (null value, with and without key)',
    input: (t) => record(t, { key: 'k', value: null }, { key: null, value: null }),
  },
  {
    name: 'Buffer keys and values',
    input: (t) => record(t, { key: Buffer.from('k'), value: Buffer.from('v') }),
  },
  { name: 'a number key', input: (t) => record(t, { key: 42, value: 'a' }) },
  { name: 'an object key', input: (t) => record(t, { key: { k: 1 }, value: 'a' }) },
  { name: 'a number value', input: (t) => record(t, { value: 42 }) },
  { name: 'a boolean value', input: (t) => record(t, { value: true }) },
  { name: 'an object value', input: (t) => record(t, { value: { v: 1 } }) },
  {
    name: 'a frozen message with frozen headers',
    input: (t) => record(t, Object.freeze({ value: 'a', headers: Object.freeze({ h: '1' }) })),
  },
  {
    name: 'a frozen message with headers null',
    input: (t) => record(t, Object.freeze({ value: 'a', headers: null })),
  },
  {
    name: 'a frozen messages array',
    input: (t) => ({ topic: t, messages: Object.freeze([{ value: 'a' }, { value: 'b' }]) }),
  },
  {
    name: 'a message of a class with own fields',
    input: (t) =>
      record(
        t,
        new (class {
          key = 'k';
          value = 'a';
          headers = { h: '1' };
        })(),
      ),
  },
  {
    name: 'a message whose value is a getter of its class',
    input: (t) => record(t, new MessageWithClassValue()),
  },
  {
    name: 'a message with a non-enumerable value',
    input: (t) => record(t, Object.defineProperty({ key: 'k' }, 'value', { value: 'hidden' })),
  },
  {
    name: 'a message whose partition is inherited',
    input: (t) =>
      record(t, Object.assign(Object.create({ partition: 1 }) as object, { value: 'a' })),
  },
  {
    name: 'a message whose timestamp is inherited',
    input: (t) =>
      record(
        t,
        Object.assign(Object.create({ timestamp: '1700000000000' }) as object, { value: 'a' }),
      ),
    timestamps: true,
  },
  {
    name: 'a message whose value getter throws',
    input: (t) => record(t, Object.defineProperty({}, 'value', throwingGetter('value'))),
  },
  {
    name: 'explicit partitions, as a number and as a string',
    input: (t) => record(t, { value: 'a', partition: 1 }, { value: 'b', partition: '1' }),
  },
  {
    name: 'a partition the topic does not have',
    input: (t) => record(t, { value: 'a', partition: 5 }),
  },
  {
    name: 'explicit timestamps',
    input: (t) =>
      record(
        t,
        { value: 'a', timestamp: '1700000000000' },
        { value: 'b', timestamp: '1700000000001' },
      ),
    timestamps: true,
  },
  {
    name: 'a timestamp that is not a number',
    input: (t) => record(t, { value: 'a', timestamp: 'not-a-time' }),
  },
  {
    name: 'the same message object twice',
    input: (t) => {
      const message = { key: 'k', value: 'twice', headers: { h: '1' } };
      return record(t, message, message);
    },
  },
  {
    name: 'a messages array with a hole',
    // eslint-disable-next-line no-sparse-arrays
    input: (t) => ({ topic: t, messages: [, { value: 'a' }] }),
  },
  {
    name: 'messages with fields KafkaJS does not know',
    input: (t) => record(t, { value: 'a', extra: { nested: true }, [Symbol('s')]: 1 }),
  },
];

const RECORD_CASES: ProducerCase[] = [
  { name: 'a record without messages', input: (t) => ({ topic: t }) },
  { name: 'messages that are a string', input: (t) => ({ topic: t, messages: 'abc' }) },
  { name: 'messages that are an object', input: (t) => ({ topic: t, messages: { value: 'a' } }) },
  { name: 'an empty messages array', input: (t) => ({ topic: t, messages: [] }) },
  { name: 'a record without topic', input: () => ({ messages: [{ value: 'a' }] }) },
  { name: 'an empty topic', input: () => ({ topic: '', messages: [{ value: 'a' }] }) },
  { name: 'a number topic', input: () => ({ topic: 42, messages: [{ value: 'a' }] }) },
  { name: 'a null record', input: () => null },
  { name: 'no record', input: () => undefined },
  { name: 'a frozen record', input: (t) => Object.freeze(record(t, { value: 'a' })) },
  {
    name: 'a record whose acks come from its class (acks 1 on an idempotent producer)',
    input: (t) => new RecordWithClassAcks(t, [{ value: 'a' }]),
  },
  {
    name: 'a record with a non-enumerable compression',
    input: (t) => Object.defineProperty(record(t, { value: 'a' }), 'compression', { value: 99 }),
  },
  {
    name: 'a record whose acks getter throws',
    input: (t) => Object.defineProperty(record(t, { value: 'a' }), 'acks', throwingGetter('acks')),
  },
  {
    name: 'a record whose messages getter throws',
    input: (t) => Object.defineProperty({ topic: t }, 'messages', throwingGetter('messages')),
  },
  {
    name: 'acks 1 on an idempotent producer',
    input: (t) => ({ ...record(t, { value: 'a' }), acks: 1 }),
  },
  {
    name: 'acks "-1" (a string) on an idempotent producer',
    input: (t) => ({ ...record(t, { value: 'a' }), acks: '-1' }),
  },
  {
    name: 'acks 1',
    producer: 'plain',
    input: (t) => ({ ...record(t, { value: 'a' }), acks: 1 }),
  },
  {
    name: 'acks "1" (a string)',
    producer: 'plain',
    input: (t) => ({ ...record(t, { value: 'a' }), acks: '1' }),
  },
  {
    name: 'acks 0',
    producer: 'plain',
    input: (t) => ({ ...record(t, { value: 'a' }, { value: 'b', headers: { h: '1' } }), acks: 0 }),
    unacknowledged: true,
  },
  {
    name: 'acks 0 with headers null',
    producer: 'plain',
    input: (t) => ({ ...record(t, { value: 'a', headers: null }), acks: 0 }),
    unacknowledged: true,
  },
  {
    name: 'acks 2 (not a valid acks)',
    producer: 'plain',
    input: (t) => ({ ...record(t, { value: 'a' }), acks: 2 }),
  },
  {
    name: 'a timeout that is a string',
    input: (t) => ({ ...record(t, { value: 'a' }), timeout: 'x' }),
  },
  { name: 'compression 99', input: (t) => ({ ...record(t, { value: 'a' }), compression: 99 }) },
  {
    name: 'compression gzip, given as the string "1"',
    input: (t) => ({ ...record(t, { value: 'a', headers: { h: '1' } }), compression: '1' }),
  },
];

const batch = (...topicMessages: unknown[]) => ({ topicMessages });

const withCall = (call: 'sendBatch', cases: ProducerCase[]) => cases.map((c) => ({ ...c, call }));
const onTransactionalProducer = (cases: ProducerCase[]) =>
  cases.map((c): ProducerCase => ({ ...c, producer: 'transactional' }));

const BATCH_CASES = withCall('sendBatch', [
  {
    name: 'sendBatch with headers null',
    input: (t) => batch(record(t, { value: 'a' }, { value: 'b', headers: null })),
  },
  {
    name: 'sendBatch of plain messages and header objects',
    input: (t) => batch(record(t, { key: 'k', value: 'a' }, { value: 'b', headers: { h: '1' } })),
  },
  {
    name: 'sendBatch naming one topic twice',
    input: (t) => batch(record(t, { value: 'a' }), record(t, { value: 'b', partition: 1 })),
  },
  { name: 'sendBatch without topicMessages', input: () => ({}) },
  { name: 'sendBatch of nothing', input: () => undefined },
  { name: 'sendBatch of null', input: () => null },
  { name: 'sendBatch with topicMessages a string', input: () => ({ topicMessages: 'abc' }) },
  { name: 'sendBatch with a null entry', input: (t) => batch(record(t, { value: 'a' }), null) },
  {
    name: 'sendBatch with a hole',
    // eslint-disable-next-line no-sparse-arrays
    input: (t) => ({ topicMessages: [, record(t, { value: 'a' })] }),
  },
  { name: 'sendBatch with an entry without messages', input: (t) => batch({ topic: t }) },
  {
    name: 'sendBatch with an entry without topic',
    input: () => batch({ messages: [{ value: 'a' }] }),
  },
  { name: 'sendBatch with a null message', input: (t) => batch(record(t, { value: 'a' }, null)) },
  {
    name: 'sendBatch whose acks come from its class',
    input: (t) => new BatchWithClassAcks([record(t, { value: 'a' })]),
  },
  {
    name: 'sendBatch with a message whose value is a getter of its class',
    input: (t) => batch(record(t, new MessageWithClassValue())),
  },
  {
    name: 'sendBatch whose topicMessages getter throws',
    input: () => Object.defineProperty({}, 'topicMessages', throwingGetter('topicMessages')),
  },
  {
    name: 'sendBatch with a frozen entry',
    input: (t) => batch(Object.freeze(record(t, Object.freeze({ value: 'a', headers: null })))),
  },
]);

const TRANSACTION_CASES = onTransactionalProducer([
  { name: 'transactional send of a plain message', input: (t) => record(t, { value: 'a' }) },
  {
    name: 'transactional send with headers null',
    input: (t) => record(t, { value: 'a', headers: null }),
  },
  {
    name: 'transactional send of a record whose acks come from its class',
    input: (t) => new RecordWithClassAcks(t, [{ value: 'a' }]),
  },
  {
    name: 'transactional sendBatch with headers null',
    call: 'sendBatch',
    input: (t) => batch(record(t, { value: 'a', headers: null })),
  },
  {
    name: 'transactional sendBatch with a propagation header that is a number',
    call: 'sendBatch',
    input: (t) => batch(record(t, { value: 'a', headers: { traceparent: 5 } })),
  },
]);

/**
 * Runs one case in one mode on a fresh producer (a failed call can leave a producer in a state
 * of its own: a topic it then asks metadata for, say), then writes a barrier record on every
 * partition and reads back what the case wrote before it.
 */
async function runProducerCase(c: ProducerCase, mode: Mode): Promise<CaseRun> {
  const { topic } = mode;
  const start = [...mode.next];
  const run = await inMode(mode, async () => {
    const producer = checkedClient(
      mode,
      kafka.producer(producerConfig(c.producer ?? 'idempotent')),
    );
    await producer.connect();
    try {
      const input = c.input(topic);
      const metadata = (value: unknown) => metadataView(value, topic, start);
      let outcome: Outcome;
      let ended: string | undefined;
      if (c.producer === 'transactional') {
        const transaction = await producer.transaction();
        const client = transaction as unknown as Record<string, (arg: unknown) => unknown>;
        outcome = await outcomeOf(() => client[c.call ?? 'send']!(input), topic, metadata);
        ended = await endTransaction(transaction, outcome.kind === 'resolved');
      } else {
        const client = producer as unknown as Record<string, (arg: unknown) => unknown>;
        outcome = await outcomeOf(() => client[c.call ?? 'send']!(input), topic, metadata);
      }
      const barrierFrom = c.unacknowledged ? producer : mode.barrier;
      const barrier = await barrierFrom.send({
        topic,
        messages: PARTITIONS.map((partition) => ({ value: BARRIER, partition })),
      });
      return { outcome, ended, barrier };
    } finally {
      await producer.disconnect();
    }
  });
  const ends = PARTITIONS.map((partition) => {
    const entry = run.barrier.find((m) => m.partition === partition);
    return Number(entry?.baseOffset);
  });
  await waitFor(() => PARTITIONS.every((p) => log.has(topic, p, ends[p]!)), {
    description: `the barrier of "${c.name}" on ${topic}`,
  });
  mode.next = ends.map((end) => end + 1);
  const stored = PARTITIONS.flatMap((p) =>
    log.range(topic, p, start[p]!, ends[p]!).map((message) => ({ partition: p, message })),
  );
  const fields = new Set(propagation.fields());
  return {
    outcome: run.outcome,
    ...(run.ended === undefined ? {} : { ended: run.ended }),
    records: stored.map(({ partition, message }) =>
      recordView(partition, message, c.timestamps === true),
    ),
    propagated: stored.filter(({ message }) =>
      Object.keys(message.headers ?? {}).some((name) => fields.has(name)),
    ).length,
  };
}

/** Commits after a resolved send, aborts after a failed one; says how that went. */
async function endTransaction(transaction: Transaction, commit: boolean): Promise<string> {
  try {
    await (commit ? transaction.commit() : transaction.abort());
    return commit ? 'committed' : 'aborted';
  } catch (error) {
    return `${commit ? 'commit' : 'abort'} failed: ${(error as Error).message}`;
  }
}

async function newMode(
  name: string,
  config: KafkaJsInstrumentationConfig | undefined,
): Promise<Mode> {
  const topic = await createTopic(PARTITIONS.length, 'same-inputs');
  const barrier = await inMode({ config }, async () => {
    const producer = checkedClient({ config }, kafka.producer(producerConfig('idempotent')));
    await producer.connect();
    return producer;
  });
  return { name, config, topic, next: PARTITIONS.map(() => 0), barrier };
}

beforeAll(async () => {
  kafka = createKafka('same-inputs');
  bare = await newMode('bare KafkaJS', undefined);
  messageSpans = await newMode('instrumented, a span per message', { producerSpanMode: 'message' });
  callSpans = await newMode('instrumented, a span per call', { producerSpanMode: 'call' });
  log = new RecordLog();
  // Read back by a consumer the instrumentation never wrapped.
  collector = await inMode(bare, async () => {
    const consumer = checkedClient(
      bare,
      kafka.consumer({ groupId: randomGroup('same-inputs-log'), maxWaitTimeInMs: 50 }),
    );
    await consumer.connect();
    await consumer.subscribe({
      topics: [bare.topic, messageSpans.topic, callSpans.topic],
      fromBeginning: true,
    });
    await consumer.run({ eachMessage: log.onMessage });
    return consumer;
  });
});

afterAll(async () => {
  await Promise.allSettled([
    collector?.disconnect(),
    ...[bare, messageSpans, callSpans].map((mode) => mode?.barrier.disconnect()),
  ]);
  await shutdown();
});

describe.each([
  ['message headers', HEADER_CASES],
  ['messages', MESSAGE_CASES],
  ['records and send options', RECORD_CASES],
  ['sendBatch', BATCH_CASES],
  ['transactions', TRANSACTION_CASES],
])('the same inputs: %s', (_, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const expected = await runProducerCase(c, bare);
    for (const mode of [messageSpans, callSpans]) {
      const { propagated: _propagated, ...got } = await runProducerCase(c, mode);
      const { propagated: _none, ...want } = expected;
      expect.soft(got, mode.name).toEqual(want);
    }
  });
});

describe('the instrumented modes are instrumented', () => {
  it('a plain message carries the trace context in both span modes, and none bare', async () => {
    const plain = HEADER_CASES[0]!;
    const { outcome, propagated } = await runProducerCase(plain, bare);
    expect(outcome.kind).toBe('resolved');
    expect(propagated).toBe(0);
    for (const mode of [messageSpans, callSpans]) {
      const run = await runProducerCase(plain, mode);
      expect(run.outcome.kind, mode.name).toBe('resolved');
      expect(run.propagated, mode.name).toBe(1);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Consumer cases
// ---------------------------------------------------------------------------------------------

/** What a handler got of one message. */
interface Seen {
  key: string | null;
  value: string | null;
  headers: Record<string, HeaderView>;
  /** The names of the payload the handler was called with. */
  payload: string[];
}

function seenOf(payload: EachMessagePayload | EachBatchPayload, message: KafkaMessage): Seen {
  const view = recordView(0, message, false);
  return {
    key: view.key,
    value: view.value,
    headers: view.headers,
    payload: Object.keys(payload).sort(),
  };
}

interface ConsumerCase {
  name: string;
  /** The argument of `run`, built afresh per run; its handler pushes what it gets to `seen`. */
  config: (seen: Seen[]) => unknown;
}

/** Run options of a class: `autoCommit` off through a getter that a spread does not copy. */
class RunWithoutAutoCommit {
  constructor(readonly eachMessage: (payload: EachMessagePayload) => Promise<void>) {}
  get autoCommit() {
    return false;
  }
}

/** What each consumer case reads: two records, one with a header of the application's. */
const CONSUMED = [
  { key: 'k1', value: 'v1', headers: { h: '1' } },
  { key: 'k2', value: 'v2' },
];

const CONSUMER_CASES: ConsumerCase[] = [
  {
    name: 'run options of a class whose autoCommit getter turns commits off',
    config: (seen) =>
      new RunWithoutAutoCommit((payload) => {
        seen.push(seenOf(payload, payload.message));
        return Promise.resolve();
      }),
  },
  {
    name: 'a frozen run config with autoCommit off',
    config: (seen) =>
      Object.freeze({
        autoCommit: false,
        eachMessage: (payload: EachMessagePayload) => {
          seen.push(seenOf(payload, payload.message));
          return Promise.resolve();
        },
      }),
  },
  {
    name: 'eachBatch with eachBatchAutoResolve off through an inherited option',
    config: (seen) =>
      Object.assign(Object.create({ eachBatchAutoResolve: false }) as object, {
        eachBatch: (payload: EachBatchPayload) => {
          // Nothing resolved: KafkaJS hands the same batch again until the consumer stops.
          for (const message of payload.batch.messages) {
            if (seen.length < CONSUMED.length) seen.push(seenOf(payload, message));
          }
          return Promise.resolve();
        },
      }),
  },
  {
    // KafkaJS destructures the method off the instance and calls it on its runner: the
    // method cannot use `this`, so it closes over `seen`.
    name: 'eachMessage as a method of a handler class',
    config: (seen) =>
      new (class Handler {
        eachMessage(payload: EachMessagePayload) {
          seen.push(seenOf(payload, payload.message));
          return Promise.resolve();
        }
      })(),
  },
  { name: 'run(null)', config: () => null },
];

interface ConsumerRun {
  run: Outcome;
  seen: Seen[];
  committed: string[];
}

async function runConsumerCase(c: ConsumerCase, mode: Pick<Mode, 'config'>): Promise<ConsumerRun> {
  const topic = await createTopic(1, 'same-inputs-consumer');
  const groupId = randomGroup('same-inputs');
  const seen: Seen[] = [];
  const run = await inMode(mode, async () => {
    const producer = kafka.producer(producerConfig('idempotent'));
    await producer.connect();
    await producer.send({ topic, messages: CONSUMED });
    await producer.disconnect();
    const consumer = checkedClient(mode, kafka.consumer({ groupId, maxWaitTimeInMs: 50 }));
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const config = c.config(seen);
      const client = consumer as unknown as { run: (config: unknown) => Promise<void> };
      const outcome = await outcomeOf(() => client.run(config), topic);
      if (outcome.kind === 'resolved') {
        await waitFor(() => seen.length >= CONSUMED.length, {
          description: `the handler of "${c.name}" to get ${CONSUMED.length} messages`,
        });
      }
      return outcome;
    } finally {
      await consumer.disconnect();
    }
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return { run, seen, committed: (offsets?.partitions ?? []).map((p) => p.offset) };
  } finally {
    await admin.disconnect();
  }
}

describe('the same consumer run options', () => {
  it.each(CONSUMER_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const expected = await runConsumerCase(c, { config: undefined });
    const got = await runConsumerCase(c, { config: {} });
    expect(got).toEqual(expected);
  });
});

describe('after all the odd inputs', () => {
  it('every span the instrumentation started has ended', () => {
    expect(harness.spanCounter.started).toBeGreaterThan(0);
    expect(harness.spanCounter.ended).toBe(harness.spanCounter.started);
  });
});
