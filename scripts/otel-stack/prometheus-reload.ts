import fs from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../local-kafka/file-lock';
import { OtelStackError, UsageError } from './errors';
import { stackDir, stackLockPath } from './paths';
import { checkPrometheusConfig, prometheusConfig, type ScrapeTarget } from './prometheus-config';
import { ensurePrometheus } from './prometheus-install';
import { isServiceRunning } from './service-process';
import {
  DEFAULT_STACK,
  readStackState,
  validateStackName,
  writeStackState,
  type StackState,
} from './stack-state';

/** What a running Prometheus can be changed to without a restart. */
export interface PrometheusSetup {
  scrapeTargets: ScrapeTarget[];
  ruleFiles: string[];
}

/**
 * Absolute paths of existing files: Prometheus resolves relative rule paths against its config
 * file, which lives in the stack folder, not where the caller is.
 */
export function resolveRuleFiles(files: readonly string[]): string[] {
  return files.map((file) => {
    const absolute = path.resolve(file);
    if (!fs.existsSync(absolute)) throw new UsageError(`Rule file ${absolute} does not exist.`);
    return absolute;
  });
}

/** The setup a stack state records (files written before rule files existed have none). */
export function currentSetup(state: StackState): PrometheusSetup {
  return { scrapeTargets: state.scrapeTargets, ruleFiles: state.ruleFiles ?? [] };
}

/** prometheus.yml of a stack with this setup, checked by promtool (rule files included). */
export async function writePrometheusConfig(
  state: Pick<StackState, 'name' | 'ports' | 'scrapeIntervalSeconds'>,
  setup: PrometheusSetup,
  promtool: string,
): Promise<void> {
  const configPath = path.join(stackDir(state.name), 'prometheus.yml');
  const candidate = `${configPath}.new`;
  fs.writeFileSync(
    candidate,
    prometheusConfig({
      collector: `127.0.0.1:${state.ports.collectorPrometheus}`,
      collectorTelemetry: `127.0.0.1:${state.ports.collectorTelemetry}`,
      extraTargets: setup.scrapeTargets,
      ruleFiles: setup.ruleFiles,
      scrapeIntervalSeconds: state.scrapeIntervalSeconds,
    }),
  );
  await checkPrometheusConfig(promtool, candidate);
  fs.renameSync(candidate, configPath);
}

/**
 * Rewrites the running Prometheus's config with this setup and reloads it. The reload endpoint
 * answers once the new config (and its rules) is in force, so the caller can wait for the
 * targets' first scrape, or the rules' first evaluation, right away.
 */
export async function applyPrometheusSetup(
  state: StackState,
  setup: PrometheusSetup,
  promtool: string,
): Promise<void> {
  await writePrometheusConfig(state, setup, promtool);
  const response = await fetch(`http://127.0.0.1:${state.ports.prometheus}/-/reload`, {
    method: 'POST',
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) {
    throw new OtelStackError(
      `Prometheus refused to reload the config of stack '${state.name}': HTTP ${response.status} ${(await response.text()).trim()}`,
    );
  }
  writeStackState({ ...state, ...setup });
}

/** Changes part of a running stack's Prometheus setup, keeping the rest. */
async function changeSetup(
  change: Partial<PrometheusSetup>,
  options: { name?: string },
): Promise<void> {
  const name = validateStackName(options.name ?? DEFAULT_STACK);
  await withFileLock(stackLockPath(name), `otel stack '${name}'`, async () => {
    const state = readStackState(name);
    const prometheus = state?.services.prometheus;
    if (!state || !prometheus || !isServiceRunning(prometheus)) {
      throw new OtelStackError(
        `The otel stack '${name}' is not running; start it with \`npm run otel-stack -- start --name ${name}\`.`,
        3,
      );
    }
    const { promtool } = await ensurePrometheus();
    await applyPrometheusSetup(state, { ...currentSetup(state), ...change }, promtool);
  });
}

/** Replaces the extra scrape targets of a running stack (the Collector's jobs always stay). */
export async function setScrapeTargets(
  targets: ScrapeTarget[],
  options: { name?: string } = {},
): Promise<void> {
  await changeSetup({ scrapeTargets: targets }, options);
}

/**
 * Replaces the rule files a running stack's Prometheus evaluates (alert rules); its alerts are
 * then at `/api/v1/alerts`. Relative paths are taken from the current directory.
 */
export async function setRuleFiles(
  files: readonly string[],
  options: { name?: string } = {},
): Promise<void> {
  await changeSetup({ ruleFiles: resolveRuleFiles(files) }, options);
}
