/**
 * The cluster client in a process where KafkaJsInstrumentation is enabled: its requests go
 * through KafkaJS's (patched) Connection.send like any KafkaJS request, so they must keep
 * working and show up in the request metrics under their own API names, with the sizes they
 * had on the wire. The client talks to the real broker through a loopback relay
 * (test/support/broker-relay.ts) that counts the bytes of every frame it forwards: the sizes
 * the metrics must equal.
 * (No runtime kafkajs import here: the instrumentation must load it first.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiSpec } from '../../../../src/collectors/protocol/api-spec';
import { ClusterClient } from '../../../../src/collectors/protocol/cluster-client';
import { DESCRIBE_LOG_DIRS_API } from '../../../../src/collectors/protocol/describe-log-dirs';
import { DESCRIBE_QUORUM_API } from '../../../../src/collectors/protocol/describe-quorum';
import { METADATA_API } from '../../../../src/collectors/protocol/metadata';
import { startBrokerRelay, type BrokerRelay } from '../../../support/broker-relay';
import { instrumentKafkaJs } from '../../../support/instrumented-kafkajs';
import { apiKeyNamed } from '../../../support/kafka-codes';

const { harness, brokers, shutdown } = instrumentKafkaJs();
/** Every connection starts with it (KafkaJS's Connection negotiates versions first). */
const API_VERSIONS: Pick<ApiSpec, 'key' | 'name'> = {
  key: apiKeyNamed('ApiVersions'),
  name: 'ApiVersions',
};
let relay: BrokerRelay;
let client: ClusterClient;

beforeAll(async () => {
  relay = await startBrokerRelay(brokers[0]!);
  client = new ClusterClient({
    brokers,
    clientId: 'kafka-otel-protocol-instrumented',
    socketFactory: relay.socketFactory,
  });
});
afterAll(async () => {
  await client.disconnect();
  await relay.close();
  await shutdown();
});

describe('ClusterClient under KafkaJsInstrumentation', () => {
  it('works through the patched connection and is measured per API, at its size on the wire', async () => {
    const metadata = await client.metadata();
    // The suite's cluster is one combined broker and controller.
    expect(metadata.brokers).toHaveLength(1);
    const { nodeId, port } = metadata.brokers[0]!;
    const [dirs, quorum] = await Promise.all([
      client.describeLogDirs(nodeId),
      client.describeQuorum(),
    ]);
    // The launcher gives each node one log directory (log.dirs), the metadata log included.
    expect(dirs.map((dir) => dir.errorCode)).toEqual([0]);
    expect(quorum.leaderId).toBe(nodeId);

    for (const api of [API_VERSIONS, METADATA_API, DESCRIBE_LOG_DIRS_API, DESCRIBE_QUORUM_API]) {
      const where = { 'kafka.api.name': api.name, 'server.port': port };
      const wire = relay.traffic(api.key);
      // Exactly one of each: one connection (one broker), one call of each API.
      expect(wire, api.name).toMatchObject({ requests: 1, responses: 1 });
      const durations = await harness.points('kafka.client.request.duration', where);
      expect(
        durations.map((point) => point.value),
        api.name,
      ).toEqual([1]);
      expect(durations[0]!.attributes).toMatchObject({
        'kafka.api.key': api.key,
        'kafka.api.version': expect.any(Number),
      });
      expect(durations[0]!.attributes['error.type'], api.name).toBeUndefined();
      // Frames as the relay forwarded them, size prefix included: header and body of the request
      // our encoder handed to KafkaJS, and the whole answer.
      const [requestSize] = await harness.points('kafka.client.request.size', where);
      const [responseSize] = await harness.points('kafka.client.response.size', where);
      expect({ request: requestSize?.sum, response: responseSize?.sum }, api.name).toEqual({
        request: wire.requestBytes,
        response: wire.responseBytes,
      });
    }
  });
});
