/**
 * `npm run bench -- client`, run tiny against the suite's Kafka so that it never rots: every
 * variant of every scenario, for KafkaJS (the default) and for the Confluent client
 * (`--client confluent`), runs in its own child, passes its checks, and lands in the tables and
 * the Markdown report. Timing is never asserted: these are 300-message runs on a shared
 * machine, and a benchmark's numbers are not a test's business.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runBench, tableRows, type BenchOutput } from '../../support/bench-cli';
import {
  CONFLUENT_VARIANTS,
  KAFKAJS_VARIANTS,
  SCENARIOS,
} from '../../../bench/client/run-contract';
import { injectedBrokers } from '../../support/kafka-client';

const MESSAGES = 300;

/** What each `--client` runs, and which of its variants trace. */
const CLIENTS = [
  { client: 'kafkajs', variants: KAFKAJS_VARIANTS, tracing: ['traces', 'contrib'] },
  { client: 'confluent', variants: CONFLUENT_VARIANTS, tracing: ['confluent-traces'] },
] as const;

describe.each(CLIENTS)(
  'npm run bench -- client --client $client',
  ({ client, variants, tracing }) => {
    const VARIANTS: readonly string[] = variants;
    let outDir: string;
    let reportPath: string;
    let output: BenchOutput;

    beforeAll(async () => {
      if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cjs', 'index.js'))) {
        throw new Error(
          'The bench runs the built package: run `npm run build` first (`npm test` does).',
        );
      }
      outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-otel-bench-test-'));
      reportPath = path.join(outDir, 'benchmarks.md');
      output = await runBench(
        [
          'client',
          '--client',
          client,
          '--messages',
          String(MESSAGES),
          '--rounds',
          '1',
          '--brokers',
          injectedBrokers().join(','),
          '--no-build',
          '--out',
          reportPath,
        ],
        480_000,
      );
    }, 500_000);

    afterAll(() => {
      fs.rmSync(outDir, { recursive: true, force: true });
    });

    it('runs every variant of every scenario and exits 0', () => {
      expect(output.code, `bench failed:\n${output.stderr}`).toBe(0);
      for (const scenario of SCENARIOS) {
        const section = output.stdout.split('### ').find((s) => s.startsWith(`\`${scenario}\``));
        expect(section, `no table for ${scenario} in:\n${output.stdout}`).toBeDefined();
        const rows = tableRows(section ?? '', /^`[\w-]+`$/).map((cells) => cells[0]);
        expect(rows).toEqual(VARIANTS.map((variant) => `\`${variant}\``));
      }
    });

    it('writes the report with one checked run of 300 messages per variant and scenario', () => {
      const report = fs.readFileSync(reportPath, 'utf8');
      const raw = report.slice(report.indexOf('<details>'));
      const runs = tableRows(raw, new RegExp(`^(${SCENARIOS.join('|')})$`));
      expect(runs.map(([scenario, , , variant]) => `${scenario}/${variant}`).sort()).toEqual(
        SCENARIOS.flatMap((s) => VARIANTS.map((v) => `${s}/${v}`)).sort(),
      );
      for (const cells of runs) expect(cells[4], cells.join(' | ')).toBe(String(MESSAGES));
      // Spans were exported (and checked) exactly where a tracer provider was set up.
      for (const [, , , variant, , , , , , , spans] of runs) {
        if ((tracing as readonly string[]).includes(variant!)) {
          expect(Number(spans)).toBeGreaterThan(0);
        } else expect(spans).toBe('—');
      }
    });

    it('records the machine and every version in the report', () => {
      const report = fs.readFileSync(reportPath, 'utf8');
      const versions = report.slice(report.indexOf('### Machine and versions'));
      expect(versions).toMatch(/Machine: .+, \d+ cores, [\d.]+ GiB RAM/);
      expect(versions).toMatch(/Node v\d+\.\d+\.\d+, KafkaJS 2\.\d+\.\d+, Kafka broker \S+/);
      expect(versions).toMatch(/`@opentelemetry\/sdk-metrics` \d+\.\d+\.\d+/);
      expect(versions).toMatch(/`@opentelemetry\/instrumentation-kafkajs` 0\.32\.0/);
      expect(versions).toMatch(/kafka-otel \S+ at commit `[0-9a-f]{7,}`/);
      if (client === 'confluent') {
        expect(versions).toMatch(
          /`@confluentinc\/kafka-javascript` \d+\.\d+\.\d+ with librdkafka \d+\.\d+\.\d+/,
        );
      }
    });
  },
);
