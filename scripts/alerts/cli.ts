/**
 * `npm run alerts`: rewrites alerts/kafka-otel.rules.yml and alerts/kafka-otel.prometheusrule.yaml
 * from the rules in alert-rules.ts and the thresholds in alert-thresholds.ts. A unit test fails
 * while the files and the code differ.
 */
import { REPO_ROOT, writeGeneratedFile } from '../generated-file';
import { alertRuleGroups } from './alert-rules';
import { DEFAULT_ALERT_THRESHOLDS } from './alert-thresholds';
import { PROMETHEUS_RULE_FILE, prometheusRuleYaml, RULES_FILE, rulesFileYaml } from './rules-yaml';

async function main(): Promise<void> {
  const groups = alertRuleGroups(DEFAULT_ALERT_THRESHOLDS);
  writeGeneratedFile(RULES_FILE, await rulesFileYaml(groups, REPO_ROOT));
  writeGeneratedFile(PROMETHEUS_RULE_FILE, await prometheusRuleYaml(groups, REPO_ROOT));
}

void main();
