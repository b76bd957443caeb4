/**
 * Consumer group telemetry on the real broker, the same assertions on both clients: the
 * rebalance that gives a lone member its partitions, the assigned partitions back to 0 on
 * disconnect, and an explicit commit as a `commit` span counted in `kafka.consumer.commits`.
 */
import { SpanKind } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { randomGroup } from '../../../support/names';
import { waitFor } from '../../../support/wait-for';
import { CLIENTS, instrumentedClient, sendOnce, shutdownClients } from './instrumented-clients';

afterAll(shutdownClients);

describe.each(CLIENTS)('consumer group telemetry on %s', (name) => {
  it('a lone member: one rebalance with all partitions, an explicit commit span and count, 0 partitions after disconnect', async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const topic = await client.createTopic(3, `${name}-group`);
    const groupId = randomGroup(`${name}-group`);
    const group = { 'messaging.consumer.group.name': groupId };
    await sendOnce(client, topic, [
      { value: 'p0', partition: 0 },
      { value: 'p1', partition: 1 },
      { value: 'p2', partition: 2 },
    ]);
    let delivered = 0;
    const consumer = await client.driver(`${name}-group`).consumer({
      groupId,
      fromBeginning: true,
      autoCommit: false,
      maxWaitTimeInMs: 100,
    });
    try {
      await consumer.subscribe([topic]);
      await consumer.run({
        eachMessage: () => {
          delivered++;
          return Promise.resolve();
        },
      });
      await waitFor(() => delivered === 3, { timeoutMs: 40_000, description: '3 messages' });
      expect(await harness.total('kafka.consumer.rebalances', group)).toBe(1);
      expect(await harness.total('kafka.consumer.assigned_partitions', group)).toBe(3);
      // Auto-commit is off: nothing was committed yet.
      expect(await harness.total('kafka.consumer.commits', group)).toBe(0);
      await consumer.commitOffsets(
        [0, 1, 2].map((partition) => ({ topic, partition, offset: '1' })),
      );
      await waitFor(async () => (await harness.total('kafka.consumer.commits', group)) === 1, {
        description: 'the explicit commit counted',
      });
    } finally {
      await consumer.disconnect();
    }
    const commits = harness.spansNamed(`commit ${topic}`);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.kind).toBe(SpanKind.CLIENT);
    expect(commits[0]!.attributes).toMatchObject({
      'messaging.operation.name': 'commit',
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': groupId,
      'messaging.destination.name': topic,
    });
    expect(await harness.points('kafka.consumer.commits', group)).toEqual([
      {
        attributes: expect.not.objectContaining({ 'error.type': expect.anything() }) as unknown,
        value: 1,
      },
    ]);
    expect(await harness.total('kafka.consumer.assigned_partitions', group)).toBe(0);
    expect(await harness.total('kafka.consumer.rebalances', group)).toBe(1);
  });
});
