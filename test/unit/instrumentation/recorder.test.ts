/**
 * The recorder, driven by its events directly: what every patch and `KafkaMetrics` record goes
 * through. Counts summed in memory must reach every collection exactly, and the same facts must
 * give the same series whichever way they arrive.
 */
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaMetrics } from '../../../src';
import { Recorder } from '../../../src/instrumentation/recorder/recorder';
import { PACKAGE_NAME } from '../../../src/version';
import { TelemetryHarness } from '../../support/telemetry-harness';

const harnesses: TelemetryHarness[] = [];
function harness(temporality?: AggregationTemporality) {
  const created = new TelemetryHarness(temporality);
  harnesses.push(created);
  return created;
}
const recorderOn = (h: TelemetryHarness) => new Recorder(h.meterProvider.getMeter(PACKAGE_NAME));
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.shutdown()));
});

describe('Recorder', () => {
  it('hands summed message counts to the very next collection, exactly', async () => {
    const h = harness(AggregationTemporality.DELTA);
    const recorder = recorderOn(h);
    const series = recorder.consumer('billing', 'orders', 2);
    for (let i = 0; i < 1_000; i++) series.delivered(1, 100);
    // One collection sees both counters whole.
    const collected = await h.metrics();
    const points = (name: string) =>
      collected
        .find((metric) => metric.descriptor.name === name)
        ?.dataPoints.map(({ attributes, value }) => ({ attributes, value }));
    expect(points('messaging.client.consumed.messages')).toEqual([
      {
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.name': 'process',
          'messaging.destination.name': 'orders',
          'messaging.destination.partition.id': '2',
          'messaging.consumer.group.name': 'billing',
        },
        value: 1_000,
      },
    ]);
    expect(points('kafka.client.consumed.bytes')).toEqual([
      {
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': 'orders',
          'messaging.consumer.group.name': 'billing',
        },
        value: 100_000,
      },
    ]);
    // Delta: nothing new, nothing exported; then only what came since.
    expect(await h.total('messaging.client.consumed.messages')).toBe(0);
    series.delivered(3, 30);
    expect(await h.total('messaging.client.consumed.messages')).toBe(3);
  });

  it('sends what was summed before a MeterProvider change to the old provider, the rest to the new', async () => {
    const before = harness();
    const after = harness();
    const recorder = recorderOn(before);
    recorder.recordSent('orders', 0, 5, undefined, undefined);
    recorder.useMeter(after.meterProvider.getMeter(PACKAGE_NAME));
    recorder.recordSent('orders', 0, 2, undefined, undefined);
    expect(await before.total('messaging.client.sent.messages')).toBe(5);
    expect(await after.total('messaging.client.sent.messages')).toBe(2);
  });

  it('gives the instrumentation and KafkaMetrics the same series for the same facts', async () => {
    const viaEvents = harness();
    const viaApi = harness();
    const recorder = recorderOn(viaEvents);
    const api = new KafkaMetrics({ meterProvider: viaApi.meterProvider });

    // What the KafkaJS producer patch emits for one send of 3 messages to partition 1.
    recorder.recordSent('orders', '1', 3, 'b1', undefined);
    recorder.recordSentBytes('orders', 300);
    recorder.recordSendDuration('orders', 'b1', 0.004, undefined);
    api.recordProduce({
      topic: 'orders',
      partition: 1,
      messages: 3,
      bytes: 300,
      durationSeconds: 0.004,
      serverAddress: 'b1',
    });

    // What the consumer patch emits for one eachBatch of 2 messages that failed.
    const failure = new RangeError('bad order');
    const series = recorder.consumer('billing', 'orders', 1);
    series.delivered(2, 200);
    series.endToEnd(0.5);
    series.endToEnd(0.25);
    series.processed(0.01, failure);
    api.recordConsume({
      topic: 'orders',
      partition: 1,
      group: 'billing',
      messages: 2,
      bytes: 200,
      endToEndSeconds: [0.5, 0.25],
      processDurationSeconds: 0.01,
      error: failure,
    });

    recorder.recordCommit({ group: 'billing', topic: 'orders', durationSeconds: 0.002 });
    api.recordCommit({ group: 'billing', topic: 'orders', durationSeconds: 0.002 });
    recorder.recordRebalance({ group: 'billing', joinDurationSeconds: 0.3, assignedPartitions: 2 });
    api.recordRebalance({ group: 'billing', joinDurationSeconds: 0.3, assignedPartitions: 2 });
    recorder.recordCrash({ group: 'billing', error: 'not an error object', restart: false });
    api.recordCrash({ group: 'billing', error: 'not an error object', restart: false });

    const exported = async (h: TelemetryHarness) =>
      (await h.metrics()).map((metric) => ({
        name: metric.descriptor.name,
        unit: metric.descriptor.unit,
        points: metric.dataPoints.map((point) => ({
          attributes: point.attributes,
          value: point.value,
        })),
      }));
    const fromEvents = await exported(viaEvents);
    expect(fromEvents.map((metric) => metric.name).sort()).toEqual([
      'kafka.client.consumed.bytes',
      'kafka.client.sent.bytes',
      'kafka.consumer.assigned_partitions',
      'kafka.consumer.commits',
      'kafka.consumer.crashes',
      'kafka.consumer.end_to_end.latency',
      'kafka.consumer.group.join.duration',
      'kafka.consumer.rebalances',
      'messaging.client.consumed.messages',
      'messaging.client.operation.duration',
      'messaging.client.sent.messages',
      'messaging.process.duration',
    ]);
    expect(await exported(viaApi)).toEqual(fromEvents);
  });

  it('names errors the same way everywhere, and an unnamed crash `_OTHER`', async () => {
    const h = harness();
    const recorder = recorderOn(h);
    recorder.recordCrash({ group: 'g', error: undefined, restart: true });
    recorder.recordCommit({
      group: 'g',
      error: Object.assign(new Error('x'), { type: 'REBALANCE_IN_PROGRESS', code: 27 }),
    });
    expect(await h.total('kafka.consumer.crashes', { 'error.type': '_OTHER' })).toBe(1);
    expect(await h.total('kafka.consumer.commits', { 'error.type': 'REBALANCE_IN_PROGRESS' })).toBe(
      1,
    );
  });

  it('drops negative and non-finite numbers instead of recording them', async () => {
    const h = harness();
    const recorder = recorderOn(h);
    recorder.recordSent('t', 0, -1, undefined, undefined);
    recorder.recordSent('t', 0, Number.NaN, undefined, undefined);
    recorder.recordSentBytes('t', Number.POSITIVE_INFINITY);
    recorder.recordSendDuration('t', undefined, -0.5, undefined);
    recorder.recordRequest({ apiName: 'Fetch', serverAddress: 'b', durationSeconds: Number.NaN });
    recorder.recordRequestQueueSize('b', 9092, -3);
    recorder.setLag({}, 'g', 't', 0, Number.NaN);
    expect(await h.metrics()).toEqual([]);
  });
});
