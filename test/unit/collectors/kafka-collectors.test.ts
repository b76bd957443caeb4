/**
 * KafkaCollectors, the set `kafka-otel collect` and `register` run: one collector whose
 * collection rejects (a bug) costs only its own series, and the others still export.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCollectors } from '../../../src/collectors/kafka-collectors';

let collectors: KafkaCollectors | undefined;
afterEach(async () => {
  await collectors?.stop();
});

describe('KafkaCollectors', () => {
  it("keeps the other sources' metrics when one collection rejects, and reports the rejection", async () => {
    // Nothing listens on port 1: the cluster and JMX collectors answer with their `up` 0.
    collectors = new KafkaCollectors({
      cluster: { brokers: ['127.0.0.1:1'], connectionTimeout: 200, snapshotTimeoutMs: 1_000 },
      connect: { url: 'http://127.0.0.1:1' },
      brokerJmx: { endpoints: ['http://127.0.0.1:1/jolokia/'] },
    }).start();
    const bug = new Error('a bug in the Connect collector');
    collectors.connect!.collect = () => Promise.reject(bug);
    const { resourceMetrics, errors } = await collectors.collect();
    const names = resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((metric) => metric.descriptor.name),
    );
    expect(names).toContain('kafka.collector.up');
    expect(names).toContain('kafka.broker.jmx.up');
    expect(names.filter((name) => name.startsWith('kafka.connect.'))).toEqual([]);
    expect(errors).toContain(bug);
  });
});
