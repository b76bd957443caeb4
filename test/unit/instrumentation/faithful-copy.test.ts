/**
 * The copies the producer and consumer patches hand KafkaJS instead of the application's
 * objects: each must read, for KafkaJS, as the original does (the real-broker proof is
 * test/integration/instrumentation/same-inputs.test.ts), or not be made at all.
 */
import type { ConsumerRunConfig, Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  messageCopy,
  optionsCopy,
  RUN_OPTIONS,
  SEND_OPTIONS,
  withHeaders,
} from '../../../src/instrumentation/kafkajs/faithful-copy';

const written = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

describe('messageCopy', () => {
  it('copies a message KafkaJS reads field by field, frozen or of a class with own fields', () => {
    const plain = { key: 'k', value: Buffer.from('v'), partition: 1, timestamp: '1', extra: 1 };
    const frozen = Object.freeze({ value: 'v', headers: Object.freeze({ h: '1' }) });
    const ofClass = new (class {
      key = 'k';
      value = 'v';
    })();
    for (const message of [plain, frozen, ofClass] as Message[]) {
      const copy = messageCopy(message);
      expect(copy).not.toBe(message);
      expect({ ...copy }).toEqual({ ...message });
    }
  });

  it('makes no copy when a field KafkaJS reads is inherited or not enumerable', () => {
    const fromClass = new (class {
      get value() {
        return 'v';
      }
    })();
    const hidden = Object.defineProperty({}, 'value', { value: 'v', enumerable: false });
    const inherited = (fields: object) =>
      Object.assign(Object.create(fields) as object, { value: 'v' });
    const messages = [
      fromClass,
      hidden,
      inherited({ partition: 1 }),
      inherited({ key: 'k' }),
      inherited({ timestamp: '1700000000000' }),
    ];
    for (const message of messages) expect(messageCopy(message as Message)).toBeUndefined();
  });
});

describe('withHeaders', () => {
  it('adds the propagation headers to a copy, leaving the message alone', () => {
    const message = { key: 'k', value: 'v', headers: { h: '1' } };
    const copy = withHeaders(message, written, false);
    expect(copy).toEqual({ key: 'k', value: 'v', headers: { h: '1', ...written } });
    expect(message).toEqual({ key: 'k', value: 'v', headers: { h: '1' } });
  });

  it('gives a message without headers the header object written for it', () => {
    const message: Message = { value: 'v' };
    expect(withHeaders(message, written, true)!.headers).toBe(written);
  });

  it('ignores inherited headers, which KafkaJS never encodes', () => {
    const message = Object.assign(Object.create({ headers: { up: '1' } }) as object, {
      value: 'v',
    });
    expect(withHeaders(message as Message, written, false)!.headers).toEqual(written);
  });

  it('sends no copy when KafkaJS would do something else with it than with the message', () => {
    const refused = [
      { value: 'v', headers: null },
      { value: 'v', headers: { traceparent: 5 } },
      new (class {
        get value() {
          return 'v';
        }
      })(),
    ];
    for (const message of refused)
      expect(withHeaders(message as Message, written, true)).toBeUndefined();
  });
});

describe('optionsCopy', () => {
  it('applies the changes on a copy', () => {
    const record = Object.freeze({ topic: 't', messages: [{ value: 'a' }], acks: -1 });
    const messages = [{ value: 'b' }];
    const copy = optionsCopy(record, SEND_OPTIONS, { messages });
    expect(copy).toEqual({ topic: 't', messages, acks: -1 });
    expect(record.messages).toEqual([{ value: 'a' }]);
  });

  it('carries over as own properties the options KafkaJS reads that a spread misses', () => {
    class Options {
      eachMessage = () => Promise.resolve();
      get autoCommit() {
        return false;
      }
      get notAnOption() {
        return 'left out';
      }
    }
    const hidden = Object.defineProperty({ topic: 't' }, 'compression', { value: 1 });
    const eachBatch = () => Promise.resolve();
    const run = optionsCopy<ConsumerRunConfig>(new Options(), RUN_OPTIONS, { eachBatch });
    expect(Object.getOwnPropertyDescriptor(run, 'autoCommit')?.value).toBe(false);
    expect(run.eachBatch).toBe(eachBatch);
    expect('notAnOption' in run).toBe(false);
    expect(optionsCopy(hidden, SEND_OPTIONS, {})).toEqual({ topic: 't', compression: 1 });
  });

  it('returns the original when reading it throws, for KafkaJS to meet the same throw', () => {
    const record: Record<string, unknown> = Object.defineProperty({ topic: 't' }, 'acks', {
      enumerable: true,
      get(): never {
        throw new Error('acks getter fails');
      },
    });
    expect(optionsCopy(record, SEND_OPTIONS, { messages: [] })).toBe(record);
  });
});
