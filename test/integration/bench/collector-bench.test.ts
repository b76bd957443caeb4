/**
 * `npm run bench -- collector`, run tiny against the suite's Kafka so that it never rots: a
 * 20-partition, 4-group shape, one round of one timed scrape per variant, both variants (the
 * built kafka-otel CLI and the OpenTelemetry Collector's kafkametrics receiver) in the tables and
 * the Markdown report with plausible figures, and the requests per API counted. Timing is never
 * asserted. Needs the build (`npm test` builds first) and the Collector binary
 * (`npm run otel-stack -- build`, which .ci/run runs before the tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runBench, tableRows, type BenchOutput } from '../../support/bench-cli';
import { createTestKafka, injectedBrokers } from '../../support/kafka-client';

const SHAPE_PREFIX = 'bench-collector-20x4-';

/** The leading number of a "median [min–max]" cell. */
const leading = (cell: string | undefined): number =>
  Number((cell ?? '').split(' ')[0]?.replace(/,/g, ''));

describe('npm run bench -- collector', () => {
  let outDir: string;
  let reportPath: string;
  let output: BenchOutput;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cjs', 'cli.js'))) {
      throw new Error('The bench runs the built CLI: run `npm run build` first (`npm test` does).');
    }
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-otel-collector-bench-test-'));
    reportPath = path.join(outDir, 'benchmarks.md');
    output = await runBench(
      [
        'collector',
        '--shape',
        '20x4',
        '--rounds',
        '1',
        '--scrapes',
        '1',
        '--brokers',
        injectedBrokers().join(','),
        '--no-build',
        // Commits move between scrapes: every timed snapshot reads message times anew.
        '--moving-commits',
        '--out',
        reportPath,
      ],
      170_000,
    );
  }, 180_000);

  afterAll(async () => {
    fs.rmSync(outDir, { recursive: true, force: true });
    // The shape stays on a bench's own cluster for reuse; the suite's cluster is shared.
    const admin = createTestKafka().admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(SHAPE_PREFIX));
      if (ours.length > 0) await admin.deleteGroups(ours);
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(SHAPE_PREFIX));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('runs both variants and prints plausible figures', () => {
    expect(output.code, `bench failed:\n${output.stderr}`).toBe(0);
    const rows = tableRows(output.stdout, /^`(kafka-otel|kafkametrics)`$/);
    const results = rows.filter((cells) => cells.length === 7);
    expect(results.map((cells) => cells[0])).toEqual(['`kafka-otel`', '`kafkametrics`']);
    for (const [variant, time, , series, peak, steady] of results) {
      expect(leading(time), `${variant} time`).toBeGreaterThan(0);
      expect(leading(series), `${variant} series`).toBeGreaterThan(0);
      expect(leading(peak), `${variant} peak RSS`).toBeGreaterThan(0);
      expect(leading(steady), `${variant} steady RSS`).toBeGreaterThan(0);
    }
  });

  it('counts requests per API, a Metadata request among them', () => {
    const metadata = tableRows(output.stdout, /^Metadata$/)[0];
    expect(Number(metadata?.[1])).toBeGreaterThanOrEqual(1);
    const offsetFetch = tableRows(output.stdout, /^OffsetFetch$/)[0];
    expect(Number(offsetFetch?.[1])).toBeGreaterThanOrEqual(1);
    // The moved commits are read again at every snapshot: the four groups sit at four
    // different offsets of each partition, all in the bytes one read at the lowest returns,
    // so one Fetch to the one broker covers the 20 partitions.
    const fetch = tableRows(output.stdout, /^Fetch$/)[0];
    expect(Number(fetch?.[1])).toBe(1);
  });

  it('writes the collector section of the report with the shape and versions', () => {
    const report = fs.readFileSync(reportPath, 'utf8');
    expect(report).toContain('<!-- bench:collector:20x4:moving-commits:begin');
    expect(report).toContain('<!-- bench:collector:20x4:moving-commits:end -->');
    expect(report).toContain('Moving commits (`--moving-commits`)');
    expect(report).toContain('Shape `20x4`: 1 topic(s) of 20 partitions');
    expect(report).toContain('80 group-partitions');
    expect(report).toMatch(/OpenTelemetry Collector \d+\.\d+\.\d+/);
    expect(report).toMatch(/Node v\d+\.\d+\.\d+, Kafka \S+/);
    expect(report).toContain('No target of issue 9 for shape 20x4');
  });
});
