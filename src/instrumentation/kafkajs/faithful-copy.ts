/**
 * Copies of the application's objects that the patches hand KafkaJS in their place: a message
 * carrying trace headers, a record or batch holding such messages, a run config holding wrapped
 * handlers. KafkaJS must do with a copy exactly what it does with the original: accept or reject
 * it the same way, write the same record (plus the propagation headers), run the same way. Each
 * copy is checked or completed against the way KafkaJS reads the original; where that cannot be
 * promised, the original goes to KafkaJS untouched and the message carries no trace context.
 */
import type { IHeaders, Message } from 'kafkajs';
import { headersWith } from '../carrier';

/**
 * The options KafkaJS destructures from the argument of `send` and `sendBatch`
 * (producer/messageProducer.js) and of `run` (consumer/index.js). Destructuring also reads
 * inherited and non-enumerable properties, which a spread leaves out.
 */
export const SEND_OPTIONS = ['topic', 'messages', 'acks', 'timeout', 'compression'];
export const SEND_BATCH_OPTIONS = ['topicMessages', 'acks', 'timeout', 'compression'];
export const RUN_OPTIONS = [
  'autoCommit',
  'autoCommitInterval',
  'autoCommitThreshold',
  'eachBatchAutoResolve',
  'partitionsConsumedConcurrently',
  'eachBatch',
  'eachMessage',
];

/**
 * A shallow copy of `message` that KafkaJS reads as it reads `message`, or undefined. KafkaJS
 * reads `value` (validating a send), `partition` and `key` (partitioner) and `timestamp` (produce
 * request) by property access, and encodes the record from a spread of the message, that is from
 * its own enumerable fields, which is what the copy holds. One of the four inherited or not
 * enumerable (a class's getter, say) would be missing from the copy: then there is no copy.
 */
export function messageCopy<M extends Message>(message: M): M | undefined {
  // Object.assign, not spread: V8 gives a spread copy a shape that makes every property added
  // to it afterwards (the producer adds its span) ten times slower.
  const copy = Object.assign({}, message);
  if (
    copy.value !== message.value ||
    copy.key !== message.key ||
    copy.partition !== message.partition ||
    copy.timestamp !== message.timestamp
  ) {
    return undefined;
  }
  return copy;
}

/**
 * Puts `written` into the headers of a copy made by {@link messageCopy}; false, the copy left as
 * it was, when KafkaJS would not encode the result as the message's headers plus `written`.
 * `writtenForThisMessage`: `written` may serve as the header object itself.
 */
export function addHeaders(
  copy: Message,
  written: Record<string, string>,
  writtenForThisMessage: boolean,
): boolean {
  // The copy's own field is what KafkaJS's spread sees: an inherited `headers` is never encoded.
  const headers = headersWith(copy.headers, written, writtenForThisMessage);
  if (headers === undefined) return false;
  copy.headers = headers as IHeaders;
  return true;
}

/**
 * A copy of `message` that also carries `written` in its headers, or undefined when KafkaJS would
 * not read one as the message plus those headers: the message then goes as it is.
 */
export function withHeaders<M extends Message>(
  message: M,
  written: Record<string, string>,
  writtenForThisMessage: boolean,
): M | undefined {
  const copy = messageCopy(message);
  return copy && addHeaders(copy, written, writtenForThisMessage) ? copy : undefined;
}

/**
 * A copy of the options object of a KafkaJS call, with `changes` made, that KafkaJS reads as it
 * reads `original`: the options it destructures (`reads`) that a spread misses are carried over
 * as own properties. When reading `original` throws (a getter), `original` itself is returned:
 * KafkaJS then meets that throw where it would have met it without the instrumentation.
 */
export function optionsCopy<T extends object>(
  original: T,
  reads: readonly string[],
  changes: Partial<T>,
): T {
  try {
    const copy: Record<string, unknown> = { ...original, ...changes };
    for (const name of reads) {
      if (!(name in copy) && name in original) {
        copy[name] = (original as Record<string, unknown>)[name];
      }
    }
    return copy as T;
  } catch {
    return original;
  }
}
