/**
 * A collector started while its cluster is down: up = 0, one clear warning, no exception; and it
 * recovers by itself once a real broker comes up at that address.
 */
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { startCluster, stopCluster } from '../../../scripts/local-kafka';
import { KafkaClusterCollector } from '../../../src';
import { uniqueName } from '../../support/names';
import { freeBasePort } from '../../support/ports';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { waitFor } from '../../support/wait-for';

const logged: { level: string; message: string }[] = [];
const capture = (level: string) => (message: string) => logged.push({ level, message });
const logger: DiagLogger = {
  error: capture('error'),
  warn: capture('warn'),
  info: capture('info'),
  debug: () => undefined,
  verbose: () => undefined,
};
const harness = new TelemetryHarness();
const cluster = uniqueName('recovery').replace(/[^a-z0-9-]/g, '-');
let collector: KafkaClusterCollector | undefined;

afterAll(async () => {
  await collector?.stop();
  await stopCluster({ cluster }).catch(() => undefined);
  await harness.shutdown();
  diag.disable();
});

describe('KafkaClusterCollector with an unreachable cluster', () => {
  it('reports up = 0 with one warning, then recovers when the broker comes up', async () => {
    diag.setLogger(logger, DiagLogLevel.INFO);
    const basePort = await freeBasePort();
    collector = new KafkaClusterCollector({
      brokers: [`127.0.0.1:${basePort}`],
      minSnapshotIntervalMs: 1,
      connectionTimeout: 500,
    }).start();
    harness.produceFrom(collector);

    const up = async () => (await harness.points('kafka.collector.up'))[0]?.value;
    expect(await up()).toBe(0);
    expect(await up()).toBe(0);
    // One metadata error per snapshot, this collection's included.
    expect(await harness.total('kafka.collector.scrape.errors', { phase: 'metadata' })).toBe(3);
    expect(await harness.points('kafka.brokers')).toEqual([]); // unknown, not 0
    const warnings = logged.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1); // one line for the outage, not one per collection
    expect(warnings[0]!.message).toContain(`127.0.0.1:${basePort}`);
    expect(warnings[0]!.message).toContain('kafka.collector.up=0');

    await startCluster({ cluster, nodes: 1, basePort, fresh: true });
    await waitFor(async () => (await up()) === 1, {
      description: 'up = 1 after the broker started',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect((await harness.points('kafka.brokers'))[0]?.value).toBe(1);
    expect(logged.some((l) => l.level === 'info' && l.message.includes('complete again'))).toBe(
      true,
    );
  });
});
