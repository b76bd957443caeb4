/**
 * The launcher of the real components (scripts/otel-stack) as the e2e suite relies on it: the
 * stack the global setup started answers on every port it reports, the Collector accepts the
 * repository's otel-collector.yaml, and the build inputs are consistent.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import {
  BUILDER_MANIFEST,
  COLLECTOR_CONFIG,
  COLLECTOR_VERSION,
  ensureCollector,
  manifestProblems,
  stackStatus,
  validateCollectorConfig,
} from '../../scripts/otel-stack';
import { REPO_ROOT } from '../support/local-kafka-cli';
import { promTargets } from '../support/otel-stack-queries';
import '../support/otel-stack-context';
import { waitFor } from '../support/wait-for';

const execFileAsync = promisify(execFile);
const stack = inject('otelStack');

describe('the otel stack of the e2e suite', () => {
  it('runs all three services and Prometheus scrapes the Collector', async () => {
    const status = stackStatus({ name: stack.name });
    expect(status?.up).toBe(true);
    expect(status?.services.map((s) => s.name).sort()).toEqual([
      'collector',
      'jaeger',
      'prometheus',
    ]);
    expect((await fetch(stack.collectorMetrics)).status).toBe(200);
    expect((await fetch(`${stack.jaeger}/api/services`)).status).toBe(200);
    await waitFor(
      async () => {
        const targets = await promTargets(stack.prometheus);
        const health = Object.fromEntries(targets.map((t) => [t.job, t.health]));
        expect(health).toMatchObject({ 'otel-collector': 'up', 'otel-collector-self': 'up' });
        return true;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: "the Collector's scrape targets up" },
    );
  });

  it('prints its URLs through the CLI, exit code 0 while everything is up', async () => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'scripts/otel-stack/cli.ts', 'status', '--name', stack.name],
      { cwd: REPO_ROOT, timeout: 60_000 },
    );
    expect(stdout).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=${stack.otlpHttp}`);
    expect(stdout).toContain(`PROMETHEUS_URL=${stack.prometheus}`);
    expect(stdout).toContain(`JAEGER_URL=${stack.jaeger}`);
  });
});

describe('otel-collector.yaml and the Collector build', () => {
  it('is valid for the Collector built from collector-builder.yaml, with its default endpoints', async () => {
    const { binary, version } = await ensureCollector();
    expect(version).toBe(COLLECTOR_VERSION);
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('OTELCOL_')),
    );
    await expect(validateCollectorConfig(binary, COLLECTOR_CONFIG, env)).resolves.toBeUndefined();
  });

  it('builds every component from one release line', () => {
    expect(manifestProblems(fs.readFileSync(BUILDER_MANIFEST, 'utf8'))).toEqual([]);
    const mixed = fs
      .readFileSync(BUILDER_MANIFEST, 'utf8')
      .replace(/(otlpexporter) v[\d.]+/, '$1 v0.150.0');
    expect(manifestProblems(mixed)).toEqual([
      `go.opentelemetry.io/collector/exporter/otlpexporter is at v0.150.0, not v${COLLECTOR_VERSION}`,
    ]);
  });
});
