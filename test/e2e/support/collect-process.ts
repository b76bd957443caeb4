import path from 'node:path';
import { DIST_ENTRIES, REPO_ROOT } from '../../support/built-package';
import { waitFor } from '../../support/wait-for';
import { APPS_DIR } from './app-process';
import { startProcess, type TestProcess } from './child-process';

export interface CollectExporter extends TestProcess {
  /** host:port of its /metrics, as a Prometheus target. */
  target: string;
}

/**
 * Runs the standalone exporter as users do (`kafka-otel collect`, the package's bin) on a
 * loopback Prometheus port, and waits until its /metrics answers.
 */
export async function startCollectExporter(options: {
  brokers: string[];
  port: number;
  topics: string;
  groups: string;
  /** More `kafka-otel collect` flags, e.g. `['--max-series', '3']`. */
  extraArgs?: string[];
}): Promise<CollectExporter> {
  const exporter = startProcess(
    'kafka-otel collect',
    [
      // The package's bin, as built.
      path.join(REPO_ROOT, DIST_ENTRIES.cli),
      'collect',
      '--brokers',
      options.brokers.join(','),
      '--prometheus-host',
      '127.0.0.1',
      '--prometheus-port',
      String(options.port),
      '--interval',
      '1s',
      '--topics',
      options.topics,
      '--groups',
      options.groups,
      ...(options.extraArgs ?? []),
    ],
    { OTEL_SERVICE_NAME: 'kafka-otel-collect-e2e' },
    APPS_DIR,
  );
  const target = `127.0.0.1:${options.port}`;
  try {
    await waitFor(
      async () => {
        const exited = exporter.exited();
        if (exited) throw new Error(`it ended (${exited})`);
        const response = await fetch(`http://${target}/metrics`, {
          signal: AbortSignal.timeout(2_000),
        });
        return response.ok;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: `kafka-otel collect to serve http://${target}/metrics`,
      },
    );
  } catch (error) {
    await exporter.stop();
    throw new Error(`${(error as Error).message}\nOutput:\n${exporter.output()}`, { cause: error });
  }
  return { ...exporter, target };
}
