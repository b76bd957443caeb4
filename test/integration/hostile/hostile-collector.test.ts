/**
 * The cluster collector against servers that answer like no broker does (random bytes,
 * truncated, zero, negative or 2 GiB frames, garbage, silence, a reset mid-frame), at connect
 * (ApiVersions, read by KafkaJS) and after it (Metadata, read by our codecs). Whatever the peer
 * sends: no exception reaches the host process, the snapshot ends by its deadline with `up` 0
 * and the failure counted by its type, a frame larger than the limit is refused at its header
 * (memory stays bounded), and the outage is one line, not one per collection.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import {
  seededBytes,
  startHostileBroker,
  type HostileBroker,
  type Misbehaviour,
  type Step,
} from '../../support/hostile-broker';
import { TelemetryHarness } from '../../support/telemetry-harness';

const DEADLINE_MS = 1_500;
const MAX_REPLY_BYTES = 1024 * 1024;

/** What escaped to the process: there must be nothing. */
const escaped: unknown[] = [];
const record = (error: unknown) => escaped.push(error);

let harness: TelemetryHarness | undefined;
let collector: KafkaClusterCollector | undefined;
let broker: HostileBroker | undefined;

beforeAll(() => {
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
});
afterEach(async () => {
  await collector?.stop();
  await broker?.close();
  await harness?.shutdown();
  harness = undefined;
  collector = undefined;
  broker = undefined;
});
afterAll(() => {
  process.off('uncaughtException', record);
  process.off('unhandledRejection', record);
});

/**
 * The error type a collector must count for random bytes: what their first four bytes announce
 * decides it (too short or too long is malformed; a plausible length waits for bytes that never
 * come, until the deadline).
 */
function randomBytesOutcome(seed: string): string {
  const size = seededBytes(seed, 4).readInt32BE(0);
  return size < 4 || size > MAX_REPLY_BYTES ? 'malformed_reply' : 'timeout';
}

interface Case {
  misbehaviour: Misbehaviour;
  /** The `error.type` of the counted scrape error, by step. */
  errorType: Record<Step, string>;
}

const random = (seed: string): Case => ({
  misbehaviour: { kind: 'random-bytes', seed, length: 64 },
  errorType: { connect: randomBytesOutcome(seed), 'after-connect': randomBytesOutcome(seed) },
});

const CASES: Case[] = [
  random('kafka-otel hostile 1'),
  random('kafka-otel hostile 2'),
  // The first four bytes of most seeds announce a negative or huge frame; this one a plausible one.
  random('kafka-otel hostile 861'),
  {
    misbehaviour: { kind: 'truncated-frame' },
    errorType: { connect: 'connection', 'after-connect': 'connection' },
  },
  {
    misbehaviour: { kind: 'zero-length' },
    errorType: { connect: 'malformed_reply', 'after-connect': 'malformed_reply' },
  },
  {
    misbehaviour: { kind: 'negative-length' },
    errorType: { connect: 'malformed_reply', 'after-connect': 'malformed_reply' },
  },
  {
    misbehaviour: { kind: 'huge-length' },
    errorType: { connect: 'malformed_reply', 'after-connect': 'malformed_reply' },
  },
  {
    misbehaviour: { kind: 'garbage-body' },
    errorType: { connect: 'decode', 'after-connect': 'decode' },
  },
  {
    misbehaviour: { kind: 'silence' },
    errorType: { connect: 'timeout', 'after-connect': 'timeout' },
  },
  {
    misbehaviour: { kind: 'reset-mid-frame' },
    errorType: { connect: 'connection', 'after-connect': 'connection' },
  },
];

/** The three random seeds must not all land on the same outcome, or one path goes untested. */
it('the random-bytes seeds cover both outcomes', () => {
  const outcomes = new Set(CASES.slice(0, 3).map((c) => c.errorType.connect));
  expect([...outcomes].sort()).toEqual(['malformed_reply', 'timeout']);
});

describe.each(['connect', 'after-connect'] as const)(
  'a hostile peer, misbehaving at %s',
  (step) => {
    it.each(CASES.map((c) => [describeCase(c.misbehaviour), c] as const))(
      '%s: no exception, up 0 by the deadline, counted by type, one warning',
      async (_, { misbehaviour, errorType }) => {
        const telemetry = (harness = new TelemetryHarness());
        broker = await startHostileBroker(misbehaviour, step);
        const warnings: string[] = [];
        collector = new KafkaClusterCollector({
          brokers: [broker.address],
          snapshotTimeoutMs: DEADLINE_MS,
          minSnapshotIntervalMs: 0,
          connectionTimeout: 1_000,
          maxReplyBytes: MAX_REPLY_BYTES,
          warn: (line) => warnings.push(line),
        }).start();
        telemetry.produceFrom(collector);

        for (let collection = 1; collection <= 2; collection++) {
          const snapshot = await collector.snapshot();
          // Ends by its deadline (plus the time to assemble), never later.
          expect(snapshot.durationSeconds).toBeLessThan(DEADLINE_MS / 1000 + 0.5);
          expect(snapshot.complete).toBe(false);
          expect(snapshot.errors.map((e) => [e.phase, e.errorType])).toEqual([
            ['metadata', errorType[step]],
          ]);
        }
        expect((await telemetry.points('kafka.collector.up'))[0]?.value).toBe(0);
        // Two snapshots above, a third for the collection of `up`, a fourth for this one.
        expect(
          await telemetry.total('kafka.collector.scrape.errors', {
            phase: 'metadata',
            'error.type': errorType[step],
          }),
        ).toBe(4);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain(broker.address);
        expect(warnings[0]).toContain(`metadata, ${errorType[step]}:`);
        expect(escaped).toEqual([]);
        if (misbehaviour.kind === 'huge-length') {
          // Refused at the header: the socket buffers hold a few MiB at most, never the 512 MiB
          // the server would send to a client that holds what the frame announces.
          expect(broker.hugeBytesWritten()).toBeLessThan(32 * 1024 * 1024);
        }
      },
    );
  },
);

function describeCase(misbehaviour: Misbehaviour): string {
  return misbehaviour.kind === 'random-bytes'
    ? `random bytes (${misbehaviour.seed})`
    : misbehaviour.kind;
}

describe('a silent peer listed before a real broker', () => {
  it('costs one request timeout: with the default timeouts the snapshot asks the next broker', async () => {
    const telemetry = (harness = new TelemetryHarness());
    broker = await startHostileBroker({ kind: 'silence' }, 'connect');
    const warnings: string[] = [];
    collector = new KafkaClusterCollector({
      brokers: [broker.address, ...inject('kafkaBrokers')],
      minSnapshotIntervalMs: 0,
      warn: (line) => warnings.push(line),
    }).start();
    telemetry.produceFrom(collector);
    const snapshot = await collector.snapshot();
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.brokers.length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
    expect(escaped).toEqual([]);
  });
});
