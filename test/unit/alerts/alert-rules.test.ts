/**
 * The shipped alert rules: the files are what scripts/alerts renders (regenerate with
 * `npm run alerts`), promtool accepts both renderings, and the promtool unit tests in
 * test/alerts/ pass, with a firing case and a silent case for every alert. promtool comes from
 * the machine as for the otel stack (Debian's prometheus package, installed when missing and
 * root), so a clean CI machine finds it the same way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertRuleGroups, runbookAnchor } from '../../../scripts/alerts/alert-rules';
import { DEFAULT_ALERT_THRESHOLDS } from '../../../scripts/alerts/alert-thresholds';
import {
  PROMETHEUS_RULE_FILE,
  prometheusRuleYaml,
  RULES_FILE,
  rulesFileYaml,
  RUNBOOK_PAGE,
} from '../../../scripts/alerts/rules-yaml';
import { ensurePrometheus } from '../../../scripts/otel-stack/prometheus-install';

const execFileAsync = promisify(execFile);
const ROOT = join(__dirname, '..', '..', '..');
const TESTS_DIR = join(ROOT, 'test', 'alerts');
const TEST_FILES = readdirSync(TESTS_DIR)
  .filter((file) => file.endsWith('.promtool.yml'))
  .sort();
const ALERTS = alertRuleGroups(DEFAULT_ALERT_THRESHOLDS).flatMap((group) =>
  group.rules.map((rule) => rule.alert),
);

/** promtool's verdict: exit code and everything it printed (it reports failures on stderr). */
async function promtool(binary: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(binary, args, { cwd: ROOT, timeout: 60_000 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const { stdout, stderr, message } = error as Error & { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout ?? ''}${stderr ?? ''}` || message };
  }
}

/** For each alertname in the test files: whether some case expects it firing, and silent. */
function casesByAlert(): Map<string, { firing: boolean; silent: boolean }> {
  const cases = new Map<string, { firing: boolean; silent: boolean }>();
  for (const file of TEST_FILES) {
    const text = readFileSync(join(TESTS_DIR, file), 'utf8');
    for (const match of text.matchAll(/alertname: (\w+)\n\s+exp_alerts:( \[\])?/g)) {
      const [, alert = '', silent] = match;
      const seen = cases.get(alert) ?? { firing: false, silent: false };
      cases.set(alert, silent ? { ...seen, silent: true } : { ...seen, firing: true });
    }
  }
  return cases;
}

describe('alert rules', () => {
  let promtoolPath: string;
  let scratch: string;

  beforeAll(async () => {
    // Installing Debian's package on a machine without it takes minutes; CI's otel stack build
    // has installed it before the tests run.
    promtoolPath = (await ensurePrometheus()).promtool;
    scratch = mkdtempSync(join(tmpdir(), 'kafka-otel-alerts-'));
  }, 15 * 60_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('are what npm run alerts renders from scripts/alerts', async () => {
    const groups = alertRuleGroups(DEFAULT_ALERT_THRESHOLDS);
    expect(readFileSync(join(ROOT, RULES_FILE), 'utf8'), `${RULES_FILE}: npm run alerts`).toBe(
      await rulesFileYaml(groups, ROOT),
    );
    expect(
      readFileSync(join(ROOT, PROMETHEUS_RULE_FILE), 'utf8'),
      `${PROMETHEUS_RULE_FILE}: npm run alerts`,
    ).toBe(await prometheusRuleYaml(groups, ROOT));
  });

  it('pass promtool check rules, as a rule file and as the PrometheusRule spec', async () => {
    const ruleFile = await promtool(promtoolPath, ['check', 'rules', RULES_FILE]);
    expect(ruleFile.output).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(ruleFile.ok, ruleFile.output).toBe(true);

    // The spec of the PrometheusRule is a rule file indented by two spaces.
    const resource = readFileSync(join(ROOT, PROMETHEUS_RULE_FILE), 'utf8');
    const spec = resource
      .slice(resource.indexOf('\nspec:\n') + '\nspec:\n'.length)
      .split('\n')
      .map((line) => line.slice(2))
      .join('\n');
    const specFile = join(scratch, 'prometheusrule-spec.yml');
    writeFileSync(specFile, spec);
    const specCheck = await promtool(promtoolPath, ['check', 'rules', specFile]);
    expect(specCheck.output).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(specCheck.ok, specCheck.output).toBe(true);
  });

  it('have a promtool case where each alert fires and one where it stays silent', () => {
    const cases = casesByAlert();
    expect([...cases.keys()].filter((alert) => !ALERTS.includes(alert))).toEqual([]);
    for (const alert of ALERTS) {
      expect(cases.get(alert), alert).toEqual({ firing: true, silent: true });
    }
  });

  it.each(TEST_FILES)('pass the promtool unit tests of test/alerts/%s', async (file) => {
    const result = await promtool(promtoolPath, ['test', 'rules', join('test', 'alerts', file)]);
    expect(result.ok, result.output).toBe(true);
    expect(result.output).toContain('SUCCESS');
  });

  it(`each have a runbook section in ${RUNBOOK_PAGE}`, () => {
    const page = readFileSync(join(ROOT, RUNBOOK_PAGE), 'utf8');
    const headings = [...page.matchAll(/^### (\w+)$/gm)].map(([, name]) => name);
    expect(headings).toEqual(ALERTS);
    for (const alert of ALERTS) expect(runbookAnchor(alert)).toBe(alert.toLowerCase());
  });
});
