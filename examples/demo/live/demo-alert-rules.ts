/**
 * The shipped alert rules with thresholds a demo can show in a minute or two: the same rules
 * (scripts/alerts), rendered into .local/demo/ for the demo's Prometheus to evaluate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { alertRuleGroups } from '../../../scripts/alerts/alert-rules';
import {
  DEFAULT_ALERT_THRESHOLDS,
  type AlertThresholds,
} from '../../../scripts/alerts/alert-thresholds';
import { rulesFileYaml } from '../../../scripts/alerts/rules-yaml';

/**
 * Durations cut from minutes to seconds, and counts cut to one event, so that `stop`, `crash`,
 * `bad-send` or `fail-connector` at the terminal turns an alert firing while one watches. The collector's
 * lag-status window is short too (see cluster-exporter.ts), so STOP/STALL is reached in
 * about ten seconds.
 */
export const DEMO_ALERT_THRESHOLDS: AlertThresholds = {
  ...DEFAULT_ALERT_THRESHOLDS,
  collectorDownFor: '30s',
  offlinePartitionsFor: '15s',
  underMinIsrFor: '15s',
  underReplicatedFor: '30s',
  quorumLeaderMissingFor: '15s',
  quorumVoterBehindFor: '30s',
  consumerGroupStatusFor: '10s',
  consumerGroupTimeLagSeconds: 30,
  consumerGroupTimeLagFor: '10s',
  consumerCrashes: 1,
  consumerCrashWindow: '5m',
  // Any failed send in the last minute: one `bad-send` among thousands of payments fires it.
  producerErrorRatio: 0,
  producerErrorWindow: '1m',
  producerErrorFor: '0s',
  requestLatencyWindow: '1m',
  requestLatencyFor: '30s',
  logDirFreeFor: '1m',
  connectDownFor: '30s',
  connectFailedFor: '15s',
  // The demo's events sink rejects one record a second: the alert fires within a minute.
  connectTaskErrorWindow: '1m',
  connectTaskErrorFor: '30s',
  connectDeadLetterWindow: '2m',
  brokerJmxDownFor: '30s',
};

/** `name: demo (shipped)` for every threshold the demo changes. */
export function changedThresholds(): string[] {
  return (Object.keys(DEMO_ALERT_THRESHOLDS) as (keyof AlertThresholds)[])
    .filter(
      (key) =>
        JSON.stringify(DEMO_ALERT_THRESHOLDS[key]) !==
        JSON.stringify(DEFAULT_ALERT_THRESHOLDS[key]),
    )
    .map(
      (key) =>
        `${key}: ${String(DEMO_ALERT_THRESHOLDS[key])} (shipped: ${String(DEFAULT_ALERT_THRESHOLDS[key])})`,
    );
}

/** Writes the demo's rule file into `dir` and returns its path. */
export async function writeDemoRules(repoRoot: string, dir: string): Promise<string> {
  const file = path.join(dir, 'alert-rules.yml');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, await rulesFileYaml(alertRuleGroups(DEMO_ALERT_THRESHOLDS), repoRoot));
  return file;
}
