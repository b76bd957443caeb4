import { parseArgs as parseNodeArgs } from 'node:util';
import { UsageError } from './errors';
import { basePortProblem, DEFAULT_STACK_BASE_PORT } from './ports';
import { parseScrapeTarget, type ScrapeTarget } from './prometheus-config';
import { DEFAULT_STACK } from './stack-state';
import { COLLECTOR_VERSION, JAEGER_MODULE_VERSION, JAEGER_V2_TAG } from './versions';

export const USAGE = `Usage: npm run otel-stack -- <command> [options]

The real export pipeline on 127.0.0.1, no Docker: the OpenTelemetry Collector ${COLLECTOR_VERSION}
(built with the Collector Builder, running otel-collector.yaml), Jaeger ${JAEGER_V2_TAG}
(module ${JAEGER_MODULE_VERSION}) and Prometheus (Debian's package), scraping the Collector.

Commands:
  build                 Build (or find cached) Collector and Jaeger, install Prometheus if
                        missing; prints how long each took
  start                 build, then start the three on a free block of ports, wait until each
                        answers, and print the URLs and OTEL_EXPORTER_OTLP_ENDPOINT
  stop                  Stop the three (SIGTERM, SIGKILL after 10 s)
  status                Show each service (up/down, pid, log) and the URLs

Options:
  --name NAME           Stack name (default: ${DEFAULT_STACK}); files in .local/otel-stack/NAME/
  --port BASE           Use ports BASE..BASE+19 (17000-18980; default: the first free block
                        from ${DEFAULT_STACK_BASE_PORT}, or the stack's previous one)
  --scrape [JOB=]H:P[/PATH]
                        One more Prometheus target, e.g. a \`kafka-otel collect\` endpoint
                        (repeatable; replaces the targets of a running stack)
  --rules FILE          A Prometheus rule file to evaluate (repeatable; default: the shipped
                        alerts/kafka-otel.rules.yml); its alerts show at PROMETHEUS_URL/alerts
  --scrape-interval S   Prometheus scrape interval in seconds (default: 2)
  --timeout SECONDS     How long start waits for the services once launched (default: 60)
  -h, --help            Show this help

Environment:
  KAFKA_OTEL_CACHE_DIR  Cache root (default: <repo>/.cache); binaries and Go caches in
                        <root>/otel-stack/
  GO                    The go binary to build with (default: \`go\` on PATH); Go >= 1.24

Exit codes: 0 ok, 1 failure, 2 bad usage, 3 stack unknown or (status) not fully up.
`;

export type Command =
  | { kind: 'help' }
  | { kind: 'build' }
  | {
      kind: 'start';
      name?: string;
      basePort?: number;
      scrapeTargets?: ScrapeTarget[];
      ruleFiles?: string[];
      scrapeIntervalSeconds?: number;
      timeoutMs?: number;
    }
  | { kind: 'stop'; name?: string }
  | { kind: 'status'; name?: string };

const ALLOWED: Record<Exclude<Command['kind'], 'help'>, ReadonlySet<string>> = {
  build: new Set(),
  start: new Set(['name', 'port', 'scrape', 'rules', 'scrape-interval', 'timeout']),
  stop: new Set(['name']),
  status: new Set(['name']),
};

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got '${value}'.`);
  }
  return n;
}

export function parseArgs(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        name: { type: 'string' },
        port: { type: 'string' },
        scrape: { type: 'string', multiple: true },
        rules: { type: 'string', multiple: true },
        'scrape-interval': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return { kind: 'help' };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError('No command given.');
  if (!(command in ALLOWED)) throw new UsageError(`Unknown command '${command}'.`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}'.`);
  const kind = command as keyof typeof ALLOWED;
  for (const flag of Object.keys(values)) {
    if (!ALLOWED[kind].has(flag)) throw new UsageError(`${command} does not take --${flag}.`);
  }
  switch (kind) {
    case 'build':
      return { kind };
    case 'stop':
    case 'status':
      return { kind, name: values.name };
    case 'start': {
      const basePort =
        values.port === undefined ? undefined : integer('port', values.port, 1, 65535);
      const problem = basePort === undefined ? undefined : basePortProblem(basePort);
      if (problem) throw new UsageError(problem);
      return {
        kind,
        name: values.name,
        basePort,
        scrapeTargets: values.scrape?.map(parseScrapeTarget),
        ruleFiles: values.rules,
        scrapeIntervalSeconds:
          values['scrape-interval'] === undefined
            ? undefined
            : integer('scrape-interval', values['scrape-interval'], 1, 300),
        timeoutMs:
          values.timeout === undefined
            ? undefined
            : integer('timeout', values.timeout, 1, 3600) * 1000,
      };
    }
  }
}
