/**
 * `npm run alerts`: rewrites alerts/kafka-otel.rules.yml and alerts/kafka-otel.prometheusrule.yaml
 * from the rules in alert-rules.ts and the thresholds in alert-thresholds.ts. A unit test fails
 * while the files and the code differ.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertRuleGroups } from './alert-rules';
import { DEFAULT_ALERT_THRESHOLDS } from './alert-thresholds';
import { PROMETHEUS_RULE_FILE, prometheusRuleYaml, RULES_FILE, rulesFileYaml } from './rules-yaml';

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const groups = alertRuleGroups(DEFAULT_ALERT_THRESHOLDS);
  const files: [string, string][] = [
    [RULES_FILE, await rulesFileYaml(groups, root)],
    [PROMETHEUS_RULE_FILE, await prometheusRuleYaml(groups, root)],
  ];
  for (const [file, after] of files) {
    const path = join(root, file);
    const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (after === before) {
      console.log(`${file}: up to date`);
    } else {
      writeFileSync(path, after);
      console.log(`${file}: rewritten`);
    }
  }
}

void main();
