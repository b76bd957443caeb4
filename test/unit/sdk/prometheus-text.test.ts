/**
 * Our Prometheus text must be exactly what the OpenTelemetry PrometheusExporter serializes with
 * its defaults, so that scrapes read the same whichever produced them: checked byte for byte
 * on metrics from a real SDK (counters, up-down counters, gauges, histograms, odd names, label
 * values that need escaping) plus a cluster snapshot's gauges.
 */
import { ValueType } from '@opentelemetry/api';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { ChunkPool, prometheusText } from '../../../src/sdk/prometheus-text';

class PullReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush() {
    return Promise.resolve();
  }
  protected onShutdown() {
    return Promise.resolve();
  }
}

async function collected(
  record: (provider: MeterProvider) => void,
  resource = resourceFromAttributes({ 'service.name': 'shop', 'host.name': 'a\\b"c\nd' }),
): Promise<ResourceMetrics> {
  const reader = new PullReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  record(provider);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

const exporterText = (metrics: ResourceMetrics) =>
  new PrometheusSerializer(undefined, false).serialize(metrics);
const ourText = (metrics: ResourceMetrics) =>
  Buffer.concat([...prometheusText(metrics)]).toString();

describe('prometheusText', () => {
  it('matches the exporter for every instrument kind, names and escaping included', async () => {
    const metrics = await collected((provider) => {
      const meter = provider.getMeter('kafka-otel', '1.2.3');
      meter.createCounter('kafka.client.sent.bytes', { unit: 'By', description: 'Bytes.' }).add(5, {
        topic: 'orders',
        'weird-key.x': 'quote " back \\ newline \n',
      });
      meter.createCounter('already_total', { description: '' }).add(2);
      meter.createUpDownCounter('kafka.client.connections', { unit: '{connection}' }).add(-1, {
        kind: 'producer',
      });
      const histogram = meter.createHistogram('kafka.client.request.duration', {
        unit: 's',
        description: 'Line one\nline two \\ end',
        advice: { explicitBucketBoundaries: [0.001, 0.1, 1] },
      });
      histogram.record(0.05, { 'kafka.api.name': 'Fetch', 'server.port': 9092 });
      histogram.record(3, { 'kafka.api.name': 'Fetch', 'server.port': 9092 });
      meter
        .createObservableGauge('9lives.gauge', { valueType: ValueType.INT })
        .addCallback((result) => {
          result.observe(7, { partition: 3, ok: true, list: 'x' });
          result.observe(Infinity, { partition: 4 });
        });
      provider.getMeter('second-scope').createCounter('other').add(1);
    });
    expect(ourText(metrics)).toBe(exporterText(metrics));
  });

  it('matches the exporter when nothing is registered and without resource attributes', async () => {
    const metrics = await collected(() => undefined, resourceFromAttributes({}));
    expect(ourText(metrics)).toBe(exporterText(metrics));
  });

  it('writes a large exposition in bounded chunks, identical to the exporter', async () => {
    const metrics = await collected((provider) => {
      const gauge = provider.getMeter('scope').createObservableGauge('kafka.partition.leader');
      gauge.addCallback((result) => {
        // Under the SDK's default limit of 2 000 series per instrument.
        for (let partition = 0; partition < 1_900; partition++) {
          result.observe(partition % 3, { topic: `orders-\u00e9-${partition % 7}`, partition });
        }
      });
    });
    const chunks = [...prometheusText(metrics)];
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.concat(chunks).toString()).toBe(exporterText(metrics));
  });

  it('writes into the chunks given back to its pool, with the same text', async () => {
    const metrics = await collected((provider) => {
      const gauge = provider.getMeter('scope').createObservableGauge('kafka.partition.leader');
      gauge.addCallback((result) => {
        for (let partition = 0; partition < 1_900; partition++) {
          result.observe(partition % 3, { topic: `orders-${partition % 7}`, partition });
        }
      });
    });
    const pool = new ChunkPool(2);
    const seen = new Set<ArrayBufferLike>();
    const copies: Buffer[] = [];
    for (let scrape = 0; scrape < 2; scrape++) {
      for (const chunk of prometheusText(metrics, pool)) {
        seen.add(chunk.buffer);
        copies.push(Buffer.from(chunk)); // the caller's copy: the chunk is overwritten once given back
        pool.release(chunk);
      }
    }
    // Each chunk went back before the next was taken: two buffers served both scrapes.
    expect(seen.size).toBeLessThanOrEqual(2);
    const text = Buffer.concat(copies).toString();
    const expected = exporterText(metrics);
    expect(text).toBe(expected + expected);
  });
});
