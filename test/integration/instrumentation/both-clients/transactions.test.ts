/**
 * Transaction spans on the real broker, the same assertions on both clients: the `transaction`
 * span parents the sends and the `send_offsets` of the transaction, and ends with its outcome.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { randomGroup, uniqueName } from '../../../support/names';
import { CLIENTS, instrumentedClient, shutdownClients } from './instrumented-clients';

afterAll(shutdownClients);

describe.each(CLIENTS)('transaction spans on %s', (name) => {
  it('a committed transaction parents its sends and its send_offsets (naming the group); an aborted one ends with outcome abort', async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const tracer = harness.tracerProvider.getTracer('both-clients-transactions');
    const topic = await client.createTopic(1, `${name}-txn`);
    const groupId = randomGroup(`${name}-txn`);
    const driver = client.driver(`${name}-txn`);
    const consumer = await driver.consumer({ groupId });
    const producer = await driver.producer({ transactionalId: uniqueName(`${name}-txn`) });
    let traceId = '';
    try {
      await tracer.startActiveSpan('application work', async (root) => {
        traceId = root.spanContext().traceId;
        try {
          const committed = await producer.transaction();
          await committed.send({ topic, messages: [{ value: 'c0' }, { value: 'c1' }] });
          await committed.sendOffsets(consumer, [
            { topic, partitions: [{ partition: 0, offset: '2' }] },
          ]);
          await committed.commit();
          const aborted = await producer.transaction();
          await aborted.send({ topic, messages: [{ value: 'a0' }] });
          await aborted.abort();
        } finally {
          root.end();
        }
      });
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
    }
    const spans = harness.spans().filter((span) => span.spanContext().traceId === traceId);
    const transactions = spans.filter((span) => span.name === 'transaction');
    expect(transactions.map((t) => t.attributes['kafka.transaction.outcome'])).toEqual([
      'commit',
      'abort',
    ]);
    const [committed, aborted] = transactions;
    for (const transaction of transactions) {
      expect(transaction.kind).toBe(SpanKind.INTERNAL);
      // An abort the application chose, with no failure inside: not an error.
      expect(transaction.status.code).toBe(SpanStatusCode.UNSET);
    }
    const childrenOf = (parent: typeof committed) =>
      spans
        .filter((span) => span.parentSpanContext?.spanId === parent!.spanContext().spanId)
        .map((span) => span.name)
        .sort();
    expect(childrenOf(committed)).toEqual([`send ${topic}`, `send ${topic}`, 'send_offsets']);
    expect(childrenOf(aborted)).toEqual([`send ${topic}`]);
    const [sendOffsets] = spans.filter((span) => span.name === 'send_offsets');
    expect(sendOffsets!.attributes['messaging.consumer.group.name']).toBe(groupId);
    expect(
      await harness.total('messaging.client.sent.messages', {
        'messaging.destination.name': topic,
      }),
    ).toBe(3);
  });
});
