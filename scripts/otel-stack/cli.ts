/**
 * `npm run otel-stack -- <build|start|stop|status> [options]`: the real Collector, Jaeger and
 * Prometheus on loopback. Progress goes to stderr; stdout carries only results (URL and
 * variable lines, the status table) so scripts can capture it.
 */
import path from 'node:path';
import { runInterruptibleCli } from '../interruptible-cli';
import { parseArgs, USAGE, type Command } from './args';
import { LocalKafkaError } from '../local-kafka/errors';
import { InterruptedError, OtelStackError } from './errors';
import {
  buildStack,
  DEFAULT_STACK,
  startStack,
  stackStatus,
  stopStack,
  type StackInfo,
} from './index';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The package's alert rules: a stack started by hand evaluates them unless told otherwise. */
const SHIPPED_ALERT_RULES = path.join(__dirname, '..', '..', 'alerts', 'kafka-otel.rules.yml');

const seconds = (s: number): string => `${s.toFixed(1)} s`;

function printUrls(stack: Pick<StackInfo, 'urls'>): void {
  const { urls } = stack;
  process.stdout.write(
    [
      `OTEL_EXPORTER_OTLP_ENDPOINT=${urls.otlpHttp}`,
      `OTEL_EXPORTER_OTLP_GRPC_ENDPOINT=${urls.otlpGrpc}`,
      `COLLECTOR_METRICS_URL=${urls.collectorMetrics}`,
      `PROMETHEUS_URL=${urls.prometheus}`,
      `PROMETHEUS_ALERTS_URL=${urls.prometheus}/alerts`,
      `JAEGER_URL=${urls.jaeger}`,
      '',
    ].join('\n'),
  );
}

async function run(command: Command, signal: AbortSignal): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'build': {
      const built = await buildStack({ log, signal });
      const how = (b: { cached: boolean; seconds: number }): string =>
        b.cached ? `cached (${seconds(b.seconds)})` : `built in ${seconds(b.seconds)}`;
      log(
        `Collector ${built.collector.version}: ${how(built.collector)} -> ${built.collector.binary}`,
      );
      log(`Jaeger ${built.jaeger.version}: ${how(built.jaeger)} -> ${built.jaeger.binary}`);
      log(
        `Prometheus ${built.prometheus.version}: ${built.prometheus.installed ? 'installed' : 'found'} -> ${built.prometheus.prometheus}`,
      );
      log(`Total ${seconds(built.seconds)}.`);
      return 0;
    }
    case 'start': {
      const stack = await startStack({
        ...command,
        ruleFiles: command.ruleFiles ?? [SHIPPED_ALERT_RULES],
        log,
        signal,
      });
      const stop = `npm run otel-stack -- stop${stack.name === DEFAULT_STACK ? '' : ` --name ${stack.name}`}`;
      log(
        stack.alreadyRunning
          ? `The otel stack '${stack.name}' is already running.`
          : `The otel stack '${stack.name}' is up in ${seconds(stack.elapsedMs / 1000)} (Collector ${stack.versions.collector}, Jaeger ${stack.versions.jaeger}, Prometheus ${stack.versions.prometheus}). Stop it with: ${stop}`,
      );
      printUrls(stack);
      return 0;
    }
    case 'stop': {
      const report = await stopStack({ name: command.name, log });
      if (report.length === 0) log('Nothing was running.');
      for (const line of report) log(`${line.service} (pid ${line.pid}): ${line.outcome}`);
      return 0;
    }
    case 'status': {
      const name = command.name ?? DEFAULT_STACK;
      const status = stackStatus({ name });
      if (!status) {
        log(
          `No otel stack named '${name}'. Start one with: npm run otel-stack -- start --name ${name}`,
        );
        return 3;
      }
      const lines = [
        `Stack '${status.name}': ports ${status.state.basePort}-${status.state.basePort + 10}, files in ${status.dir}`,
        ...status.services.map(
          (s) =>
            `  ${s.name.padEnd(10)} ${s.up ? 'up  ' : 'down'}  pid ${String(s.pid).padEnd(7)}  log ${s.logPath}`,
        ),
      ];
      if (status.services.length === 0) lines.push('  (stopped)');
      process.stdout.write(`${lines.join('\n')}\n`);
      if (status.up) printUrls(status);
      return status.up ? 0 : 3;
    }
  }
}

void runInterruptibleCli(
  (signal) => run(parseArgs(process.argv.slice(2)), signal),
  (error) =>
    error instanceof OtelStackError || error instanceof LocalKafkaError
      ? {
          message: error.message,
          exitCode: error instanceof OtelStackError ? error.exitCode : 1,
          interrupted: error instanceof InterruptedError,
        }
      : undefined,
  log,
);
