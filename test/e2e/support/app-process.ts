import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST_ENTRIES, REPO_ROOT } from '../../support/built-package';
import { providedConfluentClient } from '../../support/confluent-client-context';
import { waitFor } from '../../support/wait-for';
import { startProcess, type TestProcess } from './child-process';

/** The e2e apps, and the folder the suite's processes run in. */
export const APPS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'apps');

const REQUIRE_REGISTER = ['--require', path.join(REPO_ROOT, DIST_ENTRIES.registerCjs)];

interface AppKindSpec {
  script: string;
  nodeArgs: readonly string[];
  /** Variables the kind needs to run at all (read when the app starts, not at import). */
  env?: () => Record<string, string>;
  /** Bound on reaching `listening <port>`, consumer group join included. */
  readyTimeoutMs: number;
}

/**
 * The ways a user starts a service with zero-code telemetry, through the built entry points
 * that `kafka-otel/register` resolves to: KafkaJS apps in CommonJS and as an ES module, and the
 * CommonJS app on Confluent's client.
 */
export const APP_KINDS = {
  cjs: { script: 'app.cjs', nodeArgs: REQUIRE_REGISTER, readyTimeoutMs: 60_000 },
  // --import takes a module specifier: a file URL is one whatever the path holds.
  esm: {
    script: 'app.mjs',
    nodeArgs: ['--import', pathToFileURL(path.join(REPO_ROOT, DIST_ENTRIES.registerEsm)).href],
    readyTimeoutMs: 60_000,
  },
  // The client is no dependency of the project: the app finds the install the global setup
  // provides through NODE_PATH, as an application finds its own node_modules.
  confluent: {
    script: 'confluent-app.cjs',
    nodeArgs: REQUIRE_REGISTER,
    env: () => ({ NODE_PATH: path.join(providedConfluentClient().installDir, 'node_modules') }),
    // Joining the group takes the Confluent consumer a few seconds more than KafkaJS.
    readyTimeoutMs: 90_000,
  },
} as const satisfies Record<string, AppKindSpec>;

export type AppKind = keyof typeof APP_KINDS;

export interface RunningApp extends TestProcess {
  url: string;
  service: string;
}

export interface StartAppOptions {
  kind: AppKind;
  /** OTEL_SERVICE_NAME: the `job` label in Prometheus and the service in Jaeger. */
  service: string;
  brokers: string[];
  otlpEndpoint: string;
  /** Start a consumer on this topic in this group. */
  consume?: { topic: string; group: string };
  /** More variables (e.g. KAFKA_OTEL_COLLECT_BROKERS for the in-process cluster collector). */
  env?: Record<string, string>;
}

/**
 * Starts one of test/e2e/apps/ (app.cjs, app.mjs, confluent-app.cjs) under
 * `kafka-otel/register`, pushing OTLP (traces and metrics, every second) to the stack's
 * Collector, and waits for its `listening <port>`.
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const kind: AppKindSpec = APP_KINDS[options.kind];
  const app = startProcess(
    options.service,
    [...kind.nodeArgs, path.join(APPS_DIR, kind.script)],
    {
      ...kind.env?.(),
      OTEL_SERVICE_NAME: options.service,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      // Spans leave the app within half a second instead of the SDK's 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '500',
      KAFKA_BROKERS: options.brokers.join(','),
      ...(options.consume
        ? { CONSUME_TOPIC: options.consume.topic, CONSUMER_GROUP: options.consume.group }
        : {}),
      ...options.env,
    },
    APPS_DIR,
  );
  try {
    const port = await waitFor(
      () => {
        const exited = app.exited();
        if (exited) throw new Error(`${options.service} ended (${exited}):\n${app.output()}`);
        // A whole line: the text so far may end in the middle of the port number.
        return app
          .stdoutLines()
          .map((line) => /^listening (\d+)$/.exec(line)?.[1])
          .find((port) => port !== undefined);
      },
      {
        timeoutMs: kind.readyTimeoutMs,
        description: `${options.kind} app ${options.service} to listen`,
      },
    );
    return { ...app, url: `http://127.0.0.1:${port}`, service: options.service };
  } catch (error) {
    await app.stop();
    throw new Error(`${(error as Error).message}\nOutput so far:\n${app.output()}`, {
      cause: error,
    });
  }
}

/** Calls one of the app's routes and returns its JSON answer; a non-2xx fails with the body. */
export async function callApp<T>(
  app: RunningApp,
  method: 'GET' | 'POST',
  route: string,
): Promise<T> {
  const response = await fetch(`${app.url}${route}`, {
    method,
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${route} on ${app.service}: ${response.status} ${body}`);
  return JSON.parse(body) as T;
}
