/**
 * The collector's `socketFactory` option, on the real broker: the collector's connections are
 * the factory's sockets, and what it does to its own sockets it still does to those: replies
 * pass the reply guard (a frame no broker sends closes the connection with a scrape error, never
 * an exception in the application), and with `keepProcessAlive: false` the sockets do not hold
 * the process open.
 */
import type { ISocketFactory } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import { kafkaJsInternals } from '../../../src/collectors/protocol/kafkajs-internals';
import { FaultInjectingSockets } from '../../support/fault-injecting-sockets';
import { injectedBrokers } from '../../support/kafka-client';

const brokers = injectedBrokers();
const METADATA = 3;
const collectors: KafkaClusterCollector[] = [];

afterEach(async () => {
  await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
});

/**
 * A collector of no topic and no group: one connection, Metadata and the cluster-wide phases.
 * The tests expect complete snapshots, so the deadline (and the request timeout, half of it) is
 * far above the default 8 s: on a loaded machine a slow answer would otherwise be a scrape error.
 */
function collectorThrough(
  socketFactory: ISocketFactory,
  options: { keepProcessAlive?: boolean } = {},
): KafkaClusterCollector {
  const collector = new KafkaClusterCollector({
    brokers,
    topics: [],
    groups: [],
    minSnapshotIntervalMs: 0,
    snapshotTimeoutMs: 30_000,
    socketFactory,
    ...options,
  }).start();
  collectors.push(collector);
  return collector;
}

/** Sockets a factory made, and whether each was unref'd before it connected. */
function recordingUnref(factory: ISocketFactory) {
  const unrefBeforeConnect: boolean[] = [];
  const recording: ISocketFactory = (args) => {
    let unrefCalled = false;
    const socket = factory({
      ...args,
      onConnect: () => {
        unrefBeforeConnect.push(unrefCalled);
        args.onConnect();
      },
    });
    const unref = socket.unref.bind(socket);
    socket.unref = () => {
      unrefCalled = true;
      return unref();
    };
    return socket;
  };
  return { factory: recording, unrefBeforeConnect };
}

describe('KafkaClusterCollector with a socketFactory', () => {
  it("guards the factory's sockets: a reply frame too short for its correlation id is a scrape error", async () => {
    const faults = new FaultInjectingSockets();
    // Size 0: KafkaJS alone would throw reading it, inside the socket's data listener.
    faults.inject(METADATA, { kind: 'frame', bytes: Buffer.alloc(4) });
    const collector = collectorThrough(faults.socketFactory);

    const failed = await collector.snapshot();
    expect(faults.hits(METADATA)).toHaveLength(1);
    expect(failed.errors).toEqual([
      {
        phase: 'metadata',
        errorType: 'malformed_reply',
        message:
          `Metadata failed (malformed_reply): no broker answered (1 tried: ${brokers[0]} ` +
          'malformed_reply: a reply frame announced 0 bytes, fewer than its correlation id needs)',
      },
    ]);

    faults.clear();
    const recovered = await collector.snapshot();
    expect(recovered.errors).toEqual([]);
    expect(recovered.brokers).toHaveLength(1);
  });

  it("unrefs the factory's sockets with keepProcessAlive: false, and only then", async () => {
    // KafkaJS's own TCP factory, which never unrefs: any unref is the collector's.
    const detached = recordingUnref(kafkaJsInternals().defaultSocketFactory());
    expect(
      (await collectorThrough(detached.factory, { keepProcessAlive: false }).snapshot()).errors,
    ).toEqual([]);
    const attached = recordingUnref(kafkaJsInternals().defaultSocketFactory());
    expect((await collectorThrough(attached.factory).snapshot()).errors).toEqual([]);

    // No topic, no group: every request of a snapshot goes over one connection.
    expect(detached.unrefBeforeConnect).toEqual([true]);
    expect(attached.unrefBeforeConnect).toEqual([false]);
  });
});
