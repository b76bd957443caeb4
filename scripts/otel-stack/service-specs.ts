import path from 'node:path';
import type { StackPorts } from './ports';
import { COLLECTOR_CONFIG, JAEGER_CONFIG } from './paths';
import type { HttpProbe } from './readiness';
import type { ServiceSpec } from './service-process';

const HOST = '127.0.0.1';
const at = (port: number): string => `${HOST}:${port}`;

/** A service to start and the probes that say it is ready. */
export interface ServicePlan {
  spec: ServiceSpec;
  probes: HttpProbe[];
}

/** The endpoint variables otel-collector.yaml reads, pointing at this stack's ports. */
export function collectorEnv(ports: StackPorts): Record<string, string> {
  return {
    OTELCOL_OTLP_GRPC_ENDPOINT: at(ports.collectorOtlpGrpc),
    OTELCOL_OTLP_HTTP_ENDPOINT: at(ports.collectorOtlpHttp),
    OTELCOL_PROMETHEUS_ENDPOINT: at(ports.collectorPrometheus),
    OTELCOL_HEALTH_ENDPOINT: at(ports.collectorHealth),
    OTELCOL_TELEMETRY_PORT: String(ports.collectorTelemetry),
    OTELCOL_JAEGER_ENDPOINT: at(ports.jaegerOtlpGrpc),
  };
}

/** The repository's otel-collector.yaml, unchanged; only its endpoint variables are set. */
export function collectorPlan(binary: string, ports: StackPorts, dir: string): ServicePlan {
  return {
    spec: {
      name: 'collector',
      command: binary,
      args: ['--config', COLLECTOR_CONFIG],
      env: { ...process.env, ...collectorEnv(ports) },
      cwd: dir,
      logPath: path.join(dir, 'collector.log'),
    },
    probes: [
      { url: `http://${at(ports.collectorHealth)}/` },
      { url: `http://${at(ports.collectorPrometheus)}/metrics` },
    ],
  };
}

export function jaegerEnv(ports: StackPorts): Record<string, string> {
  return {
    JAEGER_OTLP_GRPC_ENDPOINT: at(ports.jaegerOtlpGrpc),
    JAEGER_OTLP_HTTP_ENDPOINT: at(ports.jaegerOtlpHttp),
    JAEGER_QUERY_HTTP_ENDPOINT: at(ports.jaegerQueryHttp),
    JAEGER_QUERY_GRPC_ENDPOINT: at(ports.jaegerQueryGrpc),
    JAEGER_HEALTH_ENDPOINT: at(ports.jaegerHealth),
  };
}

export function jaegerPlan(binary: string, ports: StackPorts, dir: string): ServicePlan {
  return {
    spec: {
      name: 'jaeger',
      command: binary,
      args: ['--config', JAEGER_CONFIG],
      env: { ...process.env, ...jaegerEnv(ports) },
      cwd: dir,
      logPath: path.join(dir, 'jaeger.log'),
    },
    probes: [
      { url: `http://${at(ports.jaegerHealth)}/status` },
      // The query API itself: what the e2e tests call.
      { url: `http://${at(ports.jaegerQueryHttp)}/api/services` },
    ],
  };
}

export function prometheusPlan(
  binary: string,
  ports: StackPorts,
  dir: string,
  configPath: string,
): ServicePlan {
  return {
    spec: {
      name: 'prometheus',
      command: binary,
      args: [
        `--config.file=${configPath}`,
        `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
        `--web.listen-address=${at(ports.prometheus)}`,
        // POST /-/reload applies new scrape targets without a restart (setScrapeTargets).
        '--web.enable-lifecycle',
        '--storage.tsdb.retention.time=1d',
      ],
      env: process.env,
      cwd: dir,
      logPath: path.join(dir, 'prometheus.log'),
    },
    probes: [{ url: `http://${at(ports.prometheus)}/-/ready` }],
  };
}
