import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors';
import type { StackPorts } from './ports';
import type { ScrapeTarget } from './prometheus-config';
import type { ServiceName, ServiceProcess } from './service-process';
import { STACKS_ROOT, stackDir } from './paths';

export const DEFAULT_STACK = 'local';

/** What `start` recorded in `.local/otel-stack/<name>/state.json`; `stop` and `status` read it. */
export interface StackState {
  name: string;
  basePort: number;
  ports: StackPorts;
  scrapeTargets: ScrapeTarget[];
  /** Absolute paths of the rule files Prometheus evaluates (absent in older state files). */
  ruleFiles?: string[];
  scrapeIntervalSeconds: number;
  versions: { collector: string; jaeger: string; prometheus: string };
  services: Partial<Record<ServiceName, ServiceProcess>>;
  startedAt: string;
}

/** The name becomes a folder name: no separators, nothing a shell would mangle. */
export function validateStackName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name) || name.includes('..')) {
    throw new UsageError(
      `Invalid stack name '${name}': use letters, digits, '.', '_' or '-' (up to 64, starting with a letter or digit).`,
    );
  }
  return name;
}

export function statePath(name: string): string {
  return path.join(stackDir(name), 'state.json');
}

export function readStackState(name: string): StackState | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath(name), 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeStackState(state: StackState): void {
  fs.mkdirSync(stackDir(state.name), { recursive: true });
  fs.writeFileSync(statePath(state.name), `${JSON.stringify(state, null, 2)}\n`);
}

export function knownStacks(): string[] {
  try {
    return fs
      .readdirSync(STACKS_ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(statePath(e.name)))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** URLs a user (or test) needs, from the ports. */
export interface StackUrls {
  /** OTEL_EXPORTER_OTLP_ENDPOINT for http/protobuf. */
  otlpHttp: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT for grpc. */
  otlpGrpc: string;
  collectorMetrics: string;
  prometheus: string;
  jaeger: string;
}

export function stackUrls(ports: StackPorts): StackUrls {
  const http = (port: number): string => `http://127.0.0.1:${port}`;
  return {
    otlpHttp: http(ports.collectorOtlpHttp),
    otlpGrpc: http(ports.collectorOtlpGrpc),
    collectorMetrics: `${http(ports.collectorPrometheus)}/metrics`,
    prometheus: http(ports.prometheus),
    jaeger: http(ports.jaegerQueryHttp),
  };
}
