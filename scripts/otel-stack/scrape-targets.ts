import fs from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../local-kafka/file-lock';
import { OtelStackError } from './errors';
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

/**
 * Rewrites the running Prometheus's config with these extra targets and reloads it. The reload
 * endpoint answers once the new config is in force, so the caller can wait for the targets'
 * first scrape right away.
 */
export async function applyScrapeTargets(
  state: StackState,
  targets: ScrapeTarget[],
  promtool: string,
): Promise<void> {
  const configPath = path.join(stackDir(state.name), 'prometheus.yml');
  const text = prometheusConfig({
    collector: `127.0.0.1:${state.ports.collectorPrometheus}`,
    collectorTelemetry: `127.0.0.1:${state.ports.collectorTelemetry}`,
    extraTargets: targets,
    scrapeIntervalSeconds: state.scrapeIntervalSeconds,
  });
  const candidate = `${configPath}.new`;
  fs.writeFileSync(candidate, text);
  await checkPrometheusConfig(promtool, candidate);
  fs.renameSync(candidate, configPath);
  const response = await fetch(`http://127.0.0.1:${state.ports.prometheus}/-/reload`, {
    method: 'POST',
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) {
    throw new OtelStackError(
      `Prometheus refused to reload ${configPath}: HTTP ${response.status} ${(await response.text()).trim()}`,
    );
  }
  writeStackState({ ...state, scrapeTargets: targets });
}

/** Replaces the extra scrape targets of a running stack (the Collector's jobs always stay). */
export async function setScrapeTargets(
  targets: ScrapeTarget[],
  options: { name?: string } = {},
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
    await applyScrapeTargets(state, targets, promtool);
  });
}
