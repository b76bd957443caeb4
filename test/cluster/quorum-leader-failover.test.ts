/**
 * The KRaft quorum leader stops on three real nodes. The new leader has no fetch time for its
 * predecessor; the collector must then read the former leader as behind (fetch age of at least
 * the time since the new epoch was first seen), never as healthy, within two collection cycles,
 * and as healthy again once it is back.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNode, stopNode } from '../../scripts/local-kafka';
import { KafkaClusterCollector } from '../../src';
import { TelemetryHarness } from '../support/telemetry-harness';
import { waitFor } from '../support/wait-for';

const brokers = inject('kafkaBrokers');
const cluster = inject('localKafkaCluster') ?? 'test3';
/** One collection cycle: longer than a KRaft election (fetch timeout 2 s + backoff <= 1 s). */
const CYCLE_MS = 5_000;
/** A voter that fetches reads well under this (followers fetch about every 500 ms). */
const HEALTHY_AGE_S = 2;

const harness = new TelemetryHarness();
const collector = new KafkaClusterCollector({ brokers, minSnapshotIntervalMs: 0 });

/** The quorum as one collection exported it. */
async function quorumReading() {
  const metrics = await harness.metrics();
  const points = (name: string) =>
    metrics.find((metric) => metric.descriptor.name === name)?.dataPoints ?? [];
  const leader = points('kafka.quorum.leader')[0]?.value as number | undefined;
  const fetchAge = new Map(
    points('kafka.quorum.voter.fetch_age').map((p) => [p.attributes.voter, p.value as number]),
  );
  return { leader, fetchAge };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  harness.produceFrom(collector.start());
});
afterAll(async () => {
  await collector.stop();
  await harness.shutdown();
});

describe('the quorum leader stops', () => {
  let former: number;

  it('starts with every voter fetching', async () => {
    const reading = await waitFor(
      async () => {
        const { leader, fetchAge } = await quorumReading();
        const fresh = [...fetchAge.values()].filter((age) => age < HEALTHY_AGE_S);
        return leader !== undefined && fresh.length === 3 ? leader : undefined;
      },
      { description: 'three voters fetching', timeoutMs: 90_000, intervalMs: 1_000 },
    );
    former = reading;
    expect([1, 2, 3]).toContain(former);
  });

  it('reads the former leader as behind within two cycles, never as healthy', async () => {
    await stopNode({ cluster, node: former });
    const cycles = [];
    for (let cycle = 1; cycle <= 2; cycle++) {
      await sleep(CYCLE_MS);
      cycles.push(await quorumReading());
    }
    // Every cycle: the former leader's age is unknown (no series) or that of a voter behind.
    for (const { fetchAge } of cycles) {
      const age = fetchAge.get(former);
      if (age !== undefined) expect(age).toBeGreaterThan(HEALTHY_AGE_S);
    }
    const second = cycles[1]!;
    expect(second.leader).toBeDefined();
    expect(second.leader).not.toBe(former);
    expect(second.fetchAge.get(former)).toBeGreaterThanOrEqual((CYCLE_MS / 1000) * 0.8);
    // The surviving follower fetches from the new leader and reads healthy.
    const survivor = [1, 2, 3].find((node) => node !== former && node !== second.leader)!;
    expect(second.fetchAge.get(survivor)).toBeLessThan(HEALTHY_AGE_S);
  });

  it('reads it as healthy again once it is back', async () => {
    await startNode({ cluster, node: former });
    await waitFor(
      async () => ((await quorumReading()).fetchAge.get(former) ?? Infinity) < HEALTHY_AGE_S,
      { description: 'the restarted voter fetching again', timeoutMs: 90_000, intervalMs: 1_000 },
    );
  });
});
