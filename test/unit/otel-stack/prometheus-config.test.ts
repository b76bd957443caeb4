/**
 * The stack's prometheus.yml with alert rules: the rule files are listed as given, promtool
 * accepts the config together with the shipped rules (it loads and checks every rule file a
 * config names), and `start --rules` reaches the start options.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../scripts/otel-stack/args';
import {
  checkPrometheusConfig,
  prometheusConfig,
} from '../../../scripts/otel-stack/prometheus-config';
import { ensurePrometheus } from '../../../scripts/otel-stack/prometheus-install';

const ROOT = join(__dirname, '..', '..', '..');
const SHIPPED_RULES = join(ROOT, 'alerts', 'kafka-otel.rules.yml');

const config = (ruleFiles: string[]): string =>
  prometheusConfig({
    collector: '127.0.0.1:17302',
    collectorTelemetry: '127.0.0.1:17303',
    extraTargets: [],
    ruleFiles,
    scrapeIntervalSeconds: 2,
  });

describe('prometheus.yml of the otel stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-otel-prometheus-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the rule files it is given, and none when given none', () => {
    expect(config([SHIPPED_RULES])).toContain(
      `rule_files:\n  - ${JSON.stringify(SHIPPED_RULES)}\n`,
    );
    expect(config([])).not.toContain('rule_files');
  });

  it('is accepted by promtool with the shipped alert rules, and refused with a broken rule file', async () => {
    const { promtool } = await ensurePrometheus();
    const good = join(dir, 'good.yml');
    writeFileSync(good, config([SHIPPED_RULES]));
    await expect(checkPrometheusConfig(promtool, good)).resolves.toBeUndefined();

    const brokenRules = join(dir, 'broken.rules.yml');
    writeFileSync(
      brokenRules,
      'groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: rate(\n',
    );
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, config([brokenRules]));
    await expect(checkPrometheusConfig(promtool, bad)).rejects.toThrow(/promtool rejects/);
  });

  it('takes --rules on start, repeatable', () => {
    expect(parseArgs(['start', '--rules', 'a.yml', '--rules', 'b.yml'])).toMatchObject({
      kind: 'start',
      ruleFiles: ['a.yml', 'b.yml'],
    });
    expect(parseArgs(['start'])).toMatchObject({ kind: 'start', ruleFiles: undefined });
    expect(() => parseArgs(['stop', '--rules', 'a.yml'])).toThrow('stop does not take --rules');
  });
});
