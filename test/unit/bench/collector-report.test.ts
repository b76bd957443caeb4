import { describe, expect, it } from 'vitest';
import { tableRows } from '../../support/bench-cli';
import { layoutShape } from '../../../bench/collector/cluster-shape';
import type { CollectorBenchReport } from '../../../bench/collector/collector-bench';
import {
  renderCollectorReport,
  renderSummaryTables,
} from '../../../bench/collector/collector-report';
import type { CollectorRunRecord, CollectorRunResult } from '../../../bench/collector/run-record';

const MIB = 1024 * 1024;

function result(overrides: Partial<CollectorRunResult>): CollectorRunResult {
  return {
    snapshotMs: [],
    httpMs: [],
    series: [],
    bytes: [],
    peakRssBytes: 0,
    steadyRssBytes: 0,
    cpuSeconds: 10,
    points: [],
    erroredPoints: 0,
    note: '',
    ...overrides,
  };
}

function record(
  variant: string,
  round: number,
  r: Partial<CollectorRunResult>,
): CollectorRunRecord {
  return { variant, round, position: 1, otherCores: 0.1, result: result(r) };
}

function report(): CollectorBenchReport {
  const shape = { partitions: 6000, groups: 300 };
  return {
    options: {
      shape,
      rounds: 2,
      scrapes: 2,
      variants: ['kafka-otel', 'kafkametrics'],
      gitRef: undefined,
      brokers: undefined,
      messagesPerPartition: 4,
      countRequests: true,
      movingCommits: false,
      out: '/tmp/x.md',
      build: true,
      rawDir: '/tmp',
      label: 'baseline at commit abc1234',
    },
    layout: layoutShape(shape),
    shapeState: {
      replicationFactor: 3,
      preferredLeaderShare: 1,
      messagesPerPartition: 4,
      work: 'reused',
    },
    variants: ['kafka-otel', 'kafkametrics'],
    records: [
      record('kafka-otel', 1, {
        snapshotMs: [400, 600],
        httpMs: [900, 1100],
        series: [30_000, 30_000],
        peakRssBytes: 150 * MIB,
        steadyRssBytes: 120 * MIB,
      }),
      record('kafkametrics', 1, {
        snapshotMs: [20_000, 20_000],
        series: [90_000],
        points: [90_000, 90_000],
        peakRssBytes: 100 * MIB,
        steadyRssBytes: 100 * MIB,
      }),
      record('kafka-otel', 2, {
        snapshotMs: [500, 500],
        httpMs: [1000, 1000],
        series: [30_000, 30_000],
        peakRssBytes: 250 * MIB,
        steadyRssBytes: 200 * MIB,
      }),
      record('kafkametrics', 2, {
        snapshotMs: [25_000, 25_000],
        series: [90_000],
        points: [90_000, 90_000],
        peakRssBytes: 100 * MIB,
        steadyRssBytes: 100 * MIB,
      }),
    ],
    requestCounts: [
      {
        variant: 'kafka-otel',
        counts: [
          {
            perApi: { Metadata: 1, OffsetFetch: 3 },
            brokersPerApi: { Metadata: 1, OffsetFetch: 3 },
            total: 4,
          },
          {
            perApi: { Metadata: 1, OffsetFetch: 4 },
            brokersPerApi: { Metadata: 1, OffsetFetch: 3 },
            total: 5,
          },
        ],
      },
    ],
    kafkaOtel: [
      {
        variant: 'kafka-otel',
        interval: '1s',
        code: {
          packageVersion: '0.1.0',
          commit: 'abc1234',
          gitRef: undefined,
          changedFiles: [],
          sourcesChanged: false,
        },
      },
    ],
    machine: { cpuModel: 'Test CPU', cores: 2, memoryBytes: 8 * 1024 ** 3, os: 'Linux' },
    kafkaVersion: '4.4.0',
    kafkaDescription: "local 3-node cluster 'bench-collector'",
    brokerCount: 3,
    brokerHeap: '1536m',
    collectorVersion: '0.156.0',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    finishedAt: new Date('2026-01-01T00:30:00Z'),
  };
}

function row(text: string, first: string): string[] | undefined {
  return tableRows(text, /.*/).find((cells) => cells[0] === first);
}

describe('collector report', () => {
  it('gives each variant its median and range', () => {
    const tables = renderSummaryTables(report());
    expect(row(tables, '`kafka-otel`')?.slice(1, 6)).toEqual([
      '0.50 [0.40–0.60]',
      '1.00 [0.90–1.10]',
      '30,000',
      '200.0 [150.0–250.0]',
      '160.0 [120.0–200.0]',
    ]);
    expect(row(tables, '`kafkametrics`')?.slice(1, 5)).toEqual([
      '22.50 [20.00–25.00]',
      '—',
      '90,000',
      '100.0 [100.0–100.0]',
    ]);
  });

  it('compares kafka-otel with kafkametrics round by round', () => {
    const tables = renderSummaryTables(report());
    const ratios = tables.slice(tables.indexOf('same rounds'));
    // Round 1: 500 / 20000 = 0.025; round 2: 500 / 25000 = 0.02; median 0.0225.
    expect(row(ratios, '`kafka-otel`')?.slice(1)).toEqual(['0.02×', '0.33×', '2.00×']);
  });

  it('shows the targets of the shape as met or not met', () => {
    const tables = renderSummaryTables(report());
    const targets = tables.slice(tables.indexOf("Issue 9's targets"));
    const lines = targets.split('\n').filter((l) => l.startsWith('| `kafka-otel`'));
    expect(lines[0]).toMatch(/median snapshot <= 0.5 s \| 0\.50 s \| met/);
    expect(lines[1]).toMatch(/peak RSS <= 200 MB \| 200 MiB \| \*\*not met\*\*/);
  });

  it('lists requests per snapshot by API', () => {
    const tables = renderSummaryTables(report());
    expect(row(tables, 'Metadata')?.slice(1)).toEqual(['1', '1']);
    expect(row(tables, 'OffsetFetch')?.slice(1)).toEqual(['3.5 [3–4]', '3']);
  });

  it('writes the whole section with its label, method and machine', () => {
    const text = renderCollectorReport(report());
    expect(text).toMatch(/^## Cluster collector: baseline at commit abc1234/);
    expect(text).toContain('replication factor 3');
    expect(text).toContain('30,000 group-partitions');
    expect(text).toContain('The machine was shared');
    expect(text).toContain('Test CPU, 2 cores, 8.0 GiB RAM');
    expect(text).toContain('OpenTelemetry Collector 0.156.0');
    expect(text).toContain('<details>');
  });
});
