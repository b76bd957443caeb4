/**
 * The cluster client in a process where KafkaJsInstrumentation is enabled: its requests go
 * through KafkaJS's (patched) Connection.send like any KafkaJS request, so they must keep
 * working and show up in the request metrics under their own API names and versions.
 * (No runtime kafkajs import here: the instrumentation must load it first.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ClusterClient } from '../../../../src/collectors/protocol/cluster-client';
import { instrumentKafkaJs } from '../../../support/instrumented-kafkajs';

const { harness, brokers, shutdown } = instrumentKafkaJs();
const client = new ClusterClient({ brokers, clientId: 'kafka-otel-protocol-instrumented' });

afterAll(async () => {
  await client.disconnect();
  await shutdown();
});

describe('ClusterClient under KafkaJsInstrumentation', () => {
  it('works through the patched connection and is measured per API', async () => {
    const metadata = await client.metadata();
    const nodeId = metadata.brokers[0]!.nodeId;
    const [dirs, quorum] = await Promise.all([
      client.describeLogDirs(nodeId),
      client.describeQuorum(),
    ]);
    expect(dirs.length).toBeGreaterThan(0);
    expect(quorum.leaderId).toBeGreaterThanOrEqual(0);

    for (const api of ['Metadata', 'DescribeLogDirs', 'DescribeQuorum']) {
      const durations = await harness.points('kafka.client.request.duration', {
        'kafka.api.name': api,
      });
      expect(durations, api).toHaveLength(1);
      expect(durations[0]!.attributes).toMatchObject({
        'kafka.api.version': expect.any(Number),
        'server.port': metadata.brokers[0]!.port,
      });
      expect(durations[0]!.attributes['error.type'], api).toBeUndefined();
      // Request sizes come from the encoder our requests hand to KafkaJS (header + body).
      const [size] = await harness.points('kafka.client.request.size', { 'kafka.api.name': api });
      expect(size?.sum, api).toBeGreaterThan(14);
    }
  });
});
