/**
 * docs/metrics.md is the catalogue rendered from the metric definitions in src/, byte for byte:
 * a changed name, unit, description or attribute in the code fails here until the page is
 * regenerated.
 */
import { CONNECT_METRIC_FAMILIES } from '../../../src/collectors/connect/connect-metric-families';
import { CONNECT_SELF_METRICS } from '../../../src/collectors/connect/connect-self-metrics';
import { BROKER_JMX_METRIC_FAMILIES } from '../../../src/collectors/jmx/broker-jmx-metric-families';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricCatalogue } from '../../../scripts/metrics-doc/metric-catalogue';
import {
  METRICS_PAGE,
  metricsMarkdown,
  prometheusName,
} from '../../../scripts/metrics-doc/metrics-markdown';
import { CLUSTER_METRIC_FAMILIES } from '../../../src/collectors/export/cluster-metric-families';
import { COLLECTOR_SELF_METRICS } from '../../../src/collectors/collector-self-metrics';
import { BROKER_HANDLER_INSTRUMENTS } from '../../../src/instrumentation/broker-handler';
import { CLIENT_INSTRUMENTS } from '../../../src/instrumentation/recorder/client-instruments';
import { STATISTICS_INSTRUMENTS } from '../../../src/instrumentation/confluent/statistics-metrics/statistics-instruments';

const PAGE = join(__dirname, '..', '..', '..', METRICS_PAGE);

describe('the metric catalogue', () => {
  it('is what docs/metrics.md shows (regenerate with npm run docs:metrics)', () => {
    expect(readFileSync(PAGE, 'utf8'), `${METRICS_PAGE} is out of date: npm run docs:metrics`).toBe(
      metricsMarkdown(),
    );
  });

  it('lists every defined metric exactly once', () => {
    const listed = metricCatalogue().flatMap((section) =>
      section.topics.flatMap((topic) => topic.entries.map((entry) => entry.name)),
    );
    const defined = [
      ...Object.values(CLIENT_INSTRUMENTS),
      ...Object.values(BROKER_HANDLER_INSTRUMENTS),
      ...Object.values(STATISTICS_INSTRUMENTS),
      ...CLUSTER_METRIC_FAMILIES.flatMap((family) => Object.values(family.metrics)),
      ...Object.values(COLLECTOR_SELF_METRICS),
      ...CONNECT_METRIC_FAMILIES.flatMap((family) => Object.values(family.metrics)),
      ...Object.values(CONNECT_SELF_METRICS),
      ...BROKER_JMX_METRIC_FAMILIES.flatMap((family) => Object.values(family.metrics)),
    ].map((definition) => definition.name);
    expect([...listed].sort()).toEqual([...defined].sort());
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('names metrics in Prometheus as the exporters do: underscores, _total on counters only', () => {
    expect(prometheusName({ name: 'kafka.consumer_group.lag', instrument: 'gauge' })).toBe(
      'kafka_consumer_group_lag',
    );
    expect(prometheusName({ name: 'kafka.consumer.commits', instrument: 'counter' })).toBe(
      'kafka_consumer_commits_total',
    );
    expect(
      prometheusName({ name: 'kafka.client.connections', instrument: 'up-down counter' }),
    ).toBe('kafka_client_connections');
    expect(prometheusName({ name: 'kafka.client.request.duration', instrument: 'histogram' })).toBe(
      'kafka_client_request_duration',
    );
  });
});
