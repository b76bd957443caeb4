import type { Context } from '@opentelemetry/api';
import { extractCarried, type MessageHeaders } from './carrier';

/** Where the context of a message being processed comes from (an `eachBatch` call, say). */
export interface MessageContextSource {
  contextOf(message: object): Context;
}

/** Messages currently being processed under an instrumented consumer, and their source. */
const sources = new WeakMap<object, MessageContextSource | Context>();

/** Called by the consumer patches for every message they hand to a traced handler. */
export function rememberMessageContext(message: object, source: MessageContextSource | Context) {
  sources.set(message, source);
}

/**
 * The context to process one consumed message in: its `process` span and the baggage and trace
 * context its producer sent in the headers. Inside `eachMessage` this is the active context
 * already; inside `eachBatch`, where one handler sees many messages, run each message's work in
 * it:
 *
 * ```ts
 * eachBatch: async ({ batch, resolveOffset }) => {
 *   for (const message of batch.messages) {
 *     await context.with(messageContext(message), () => handle(message));
 *     resolveOffset(message.offset);
 *   }
 * }
 * ```
 *
 * For a message no instrumented consumer delivered, it is what the message's headers carry, read
 * with the global propagator.
 */
export function messageContext(message: { headers?: unknown }): Context {
  const source = sources.get(message);
  if (source === undefined) return extractCarried(message.headers as MessageHeaders).context;
  return isSource(source) ? source.contextOf(message) : source;
}

function isSource(value: MessageContextSource | Context): value is MessageContextSource {
  return typeof (value as Partial<MessageContextSource>).contextOf === 'function';
}
