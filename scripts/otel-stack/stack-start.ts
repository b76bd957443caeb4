import fs from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../local-kafka/file-lock';
import { buildStack, type StackBinaries } from './build';
import { validateCollectorConfig } from './collector-build';
import { throwIfAborted, UsageError } from './errors';
import { COLLECTOR_CONFIG, stackDir, stackLockPath } from './paths';
import { basePortProblem, chooseBasePort, stackPorts, type StackPorts } from './ports';
import type { ScrapeTarget } from './prometheus-config';
import { waitUntilReady } from './readiness';
import {
  collectorEnv,
  collectorPlan,
  jaegerPlan,
  prometheusPlan,
  type ServicePlan,
} from './service-specs';
import { isServiceRunning, spawnService, type ServiceProcess } from './service-process';
import {
  DEFAULT_STACK,
  readStackState,
  stackUrls,
  validateStackName,
  writeStackState,
  type StackState,
  type StackUrls,
} from './stack-state';
import { stopServices } from './stack-stop';
import {
  applyPrometheusSetup,
  currentSetup,
  resolveRuleFiles,
  writePrometheusConfig,
} from './prometheus-reload';

export const DEFAULT_READY_TIMEOUT_MS = 60_000;

export interface StartStackOptions {
  /** Stack name: files in .local/otel-stack/<name>/ (default `local`). */
  name?: string;
  /** First port of the stack's block of 20; default: a free block searched from 17300. */
  basePort?: number;
  /** Where the search for a free block starts when basePort is not given. */
  preferredBasePort?: number;
  /** Scraped by Prometheus next to the Collector (e.g. a `kafka-otel collect` endpoint). */
  scrapeTargets?: ScrapeTarget[];
  /**
   * Prometheus rule files (alert rules) to evaluate, e.g. alerts/kafka-otel.rules.yml; relative
   * paths are taken from the current directory. Default: none (or a running stack's).
   */
  ruleFiles?: string[];
  /** Prometheus scrape interval (default 2 s: tests and the demo want fresh values). */
  scrapeIntervalSeconds?: number;
  /** Readiness deadline once the processes are launched (default 60 s; builds not included). */
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Aborting stops the wait and kills what this call started. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface StackInfo {
  name: string;
  ports: StackPorts;
  urls: StackUrls;
  versions: StackState['versions'];
  dir: string;
  alreadyRunning: boolean;
  elapsedMs: number;
}

function info(state: StackState, alreadyRunning: boolean, startedAt: number): StackInfo {
  const urls = stackUrls(state.ports);
  return {
    name: state.name,
    ports: state.ports,
    urls,
    versions: state.versions,
    dir: stackDir(state.name),
    alreadyRunning,
    elapsedMs: Date.now() - startedAt,
  };
}

function plans(binaries: StackBinaries, ports: StackPorts, dir: string): ServicePlan[] {
  return [
    jaegerPlan(binaries.jaeger.binary, ports, dir),
    collectorPlan(binaries.collector.binary, ports, dir),
    prometheusPlan(binaries.prometheus.prometheus, ports, dir, path.join(dir, 'prometheus.yml')),
  ];
}

/** A stack recorded as running: every service alive and still answering its probes. */
async function confirmRunning(
  state: StackState,
  binaries: StackBinaries,
  deadline: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const services = Object.values(state.services);
  if (services.length !== 3 || !services.every(isServiceRunning)) return false;
  try {
    for (const plan of plans(binaries, state.ports, stackDir(state.name))) {
      const service = state.services[plan.spec.name];
      if (service) await waitUntilReady(service, plan.probes, deadline, signal);
    }
    return true;
  } catch (error) {
    // Alive but not answering (wedged): the caller restarts the whole stack.
    if (signal?.aborted) throw error;
    return false;
  }
}

/** Launches all three, waits for all; on any failure kills exactly what it launched. */
async function launch(
  toStart: ServicePlan[],
  deadline: number,
  signal?: AbortSignal,
): Promise<ServiceProcess[]> {
  const started: ServiceProcess[] = [];
  try {
    for (const plan of toStart) {
      throwIfAborted(signal);
      started.push(spawnService(plan.spec));
    }
    await Promise.all(
      toStart.map((plan, i) =>
        waitUntilReady(started[i] as ServiceProcess, plan.probes, deadline, signal),
      ),
    );
    return started;
  } catch (error) {
    await stopServices(started, 5_000);
    throw error;
  }
}

/**
 * Starts the Collector (running the repository's otel-collector.yaml), Jaeger and Prometheus
 * on a free block of loopback ports, building what the cache lacks first. Idempotent: a running
 * stack is checked and returned (its scrape targets updated when new ones are given).
 */
export async function startStack(options: StartStackOptions = {}): Promise<StackInfo> {
  const startedAt = Date.now();
  const name = validateStackName(options.name ?? DEFAULT_STACK);
  const log = options.log ?? (() => undefined);
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  if (options.basePort !== undefined) {
    const problem = basePortProblem(options.basePort);
    if (problem) throw new UsageError(problem);
  }
  const binaries = await buildStack({ env, log, signal: options.signal });

  return withFileLock(stackLockPath(name), `otel stack '${name}'`, async () => {
    const previous = readStackState(name);
    if (
      previous &&
      (await confirmRunning(previous, binaries, Date.now() + 10_000, options.signal))
    ) {
      const before = currentSetup(previous);
      const wanted = {
        scrapeTargets: options.scrapeTargets ?? before.scrapeTargets,
        ruleFiles: options.ruleFiles ? resolveRuleFiles(options.ruleFiles) : before.ruleFiles,
      };
      if (JSON.stringify(wanted) !== JSON.stringify(before)) {
        await applyPrometheusSetup(previous, wanted, binaries.prometheus.promtool);
      }
      return info(readStackState(name) ?? previous, true, startedAt);
    }
    if (previous) await stopServices(Object.values(previous.services), 5_000);

    const dir = stackDir(name);
    fs.mkdirSync(dir, { recursive: true });
    // Metrics and traces of an earlier run would leak into this one's queries.
    fs.rmSync(path.join(dir, 'prometheus-data'), { recursive: true, force: true });
    const basePort = await chooseBasePort({
      explicit: options.basePort,
      preferred: options.preferredBasePort ?? previous?.basePort,
    });
    const ports = stackPorts(basePort);
    const scrapeTargets = options.scrapeTargets ?? previous?.scrapeTargets ?? [];
    const ruleFiles = options.ruleFiles
      ? resolveRuleFiles(options.ruleFiles)
      : (previous?.ruleFiles ?? []);
    const scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? 2;

    await writePrometheusConfig(
      { name, ports, scrapeIntervalSeconds },
      { scrapeTargets, ruleFiles },
      binaries.prometheus.promtool,
    );
    await validateCollectorConfig(binaries.collector.binary, COLLECTOR_CONFIG, {
      ...env,
      ...collectorEnv(ports),
    });

    log(
      `Starting Jaeger, the Collector and Prometheus on 127.0.0.1:${basePort}-${basePort + 10}...`,
    );
    const services = await launch(
      plans(binaries, ports, dir),
      Date.now() + timeoutMs,
      options.signal,
    );
    const state: StackState = {
      name,
      basePort,
      ports,
      scrapeTargets,
      ruleFiles,
      scrapeIntervalSeconds,
      versions: {
        collector: binaries.collector.version,
        jaeger: binaries.jaeger.version,
        prometheus: binaries.prometheus.version,
      },
      services: Object.fromEntries(services.map((s) => [s.name, s])),
      startedAt: new Date().toISOString(),
    };
    writeStackState(state);
    return info(state, false, startedAt);
  });
}
