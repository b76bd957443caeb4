/**
 * The shipped alert rules (scripts/alerts) rendered with other thresholds into a rule file for
 * the e2e Prometheus: the expressions are the shipped ones, only the user-tunable parameters
 * differ, so that a test sees an alert fire in seconds rather than the minutes a production
 * `for` waits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alertRuleGroups } from '../../../scripts/alerts/alert-rules';
import {
  DEFAULT_ALERT_THRESHOLDS,
  type AlertThresholds,
} from '../../../scripts/alerts/alert-thresholds';
import { rulesFileYaml } from '../../../scripts/alerts/rules-yaml';
import { REPO_ROOT } from '../../support/built-package';

export interface RenderedRules {
  file: string;
  /** Deletes the file and its folder. */
  remove: () => void;
}

/** Writes the rules with the shipped thresholds overridden by `changes` to a temporary file. */
export async function writeRulesFile(changes: Partial<AlertThresholds>): Promise<RenderedRules> {
  const groups = alertRuleGroups({ ...DEFAULT_ALERT_THRESHOLDS, ...changes });
  const dir = mkdtempSync(path.join(tmpdir(), 'kafka-otel-alerts-'));
  const file = path.join(dir, 'kafka-otel.rules.yml');
  writeFileSync(file, await rulesFileYaml(groups, REPO_ROOT));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
