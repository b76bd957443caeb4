/**
 * `npm run demo -- --live`: the payments pipeline under load, for as long as one likes, with
 * everything a deployment would have around it: the local Kafka (with its brokers' JMX and a
 * Kafka Connect worker running the demo's connectors), the real OpenTelemetry Collector,
 * Prometheus evaluating the alert rules, Jaeger, and the cluster collector. Two
 * services (`payments-api`, `settlement`) run as child processes instrumented by
 * `kafka-otel/register` and push OTLP to the Collector; the terminal slows, pauses, stops or
 * crashes the consumer and makes sends and requests fail, so lag, alerts and every dashboard
 * panel have something to show. Ctrl-C, SIGTERM or `quit` stop everything this run started.
 */
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import { freeSidePort } from '../../../scripts/otel-stack';
import { ensureTopic, GROUP, TOPIC } from '../payments';
import { startClusterExporter, COLLECTOR_JOB, type ClusterExporter } from './cluster-exporter';
import { COMMAND_HELP, type DemoCommand } from './commands';
import { startDemoConnectors, type DemoConnectors } from './demo-connectors';
import { readCommands, type CommandInput } from './command-input';
import { changedThresholds, writeDemoRules } from './demo-alert-rules';
import { settlementLag } from './group-lag';
import type { ConsumerState, ServiceReport } from './ipc-messages';
import { startInfrastructure, type Infrastructure } from './live-infrastructure';
import { LIVE_USAGE, parseLiveOptions } from './live-options';
import { LoadGenerator } from './load-generator';
import { openLogSink, type LogSink } from './log-sink';
import { ProgressLine } from './progress-line';
import { startService, type ServiceProcess } from './service-process';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEMO_DIR = path.join(REPO_ROOT, '.local', 'demo');
const SERVICE_NAMES = { api: 'payments-api', settlement: 'settlement' } as const;
const READY_TIMEOUT_MS = 120_000;
const SERVICE_STOP_GRACE_MS = 15_000;
/**
 * `bad-send` fails this many sends, further apart than the services' 2 s metric export, so
 * Prometheus sees the failure counter grow (see LoadGenerator.sendOversized).
 */
const BAD_SENDS = 3;
const BAD_SEND_GAP_MS = 3_000;

const print = (line: string) => process.stdout.write(`${line}\n`);

/** Why the demo ends. */
type Ending = { reason: string; exitCode: number };

/**
 * The services' environment: `register` configured as a deployment would configure it, and
 * nothing of the caller's own OTEL_* / KAFKA_OTEL_* settings, which would redirect it.
 */
function serviceEnv(service: string, brokers: string[], otlpHttp: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(OTEL_|KAFKA_OTEL_)/.test(k)),
  );
  return {
    ...inherited,
    KAFKA_BROKERS: brokers.join(','),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    OTEL_SERVICE_NAME: service,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpHttp,
    // The Collector turns it into the `instance` label (service.name is `job`); without it the
    // label would be the Collector's own address, the same for both services.
    OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=${os.hostname()}/${service}`,
    // Fresh numbers in Prometheus (which scrapes every 2 s) and spans in Jaeger within seconds.
    OTEL_METRIC_EXPORT_INTERVAL: '2000',
    OTEL_BSP_SCHEDULE_DELAY: '1000',
  };
}

export async function runLiveDemo(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseLiveOptions(argv, path.join(DEMO_DIR, 'live.log.jsonl'));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${LIVE_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(LIVE_USAGE);
    return 0;
  }
  const abort = new AbortController();
  let end: (ending: Ending) => void = () => undefined;
  const ended = new Promise<Ending>((resolve) => {
    end = (ending) => {
      abort.abort();
      resolve(ending);
    };
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C while cleaning up leaves at once (what was started may stay running).
    if (++signals > 1) process.exit(130);
    end({ reason: signal, exitCode: 0 });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const cleanups: Array<() => Promise<unknown> | void> = [];
  let progress: ProgressLine | undefined;
  const say = (line: string) => (progress ? progress.print(line) : print(line));
  try {
    const ruleFile = await writeDemoRules(REPO_ROOT, DEMO_DIR);
    print(`Alert rules with demo thresholds in ${ruleFile}; changed from the shipped ones:`);
    for (const line of changedThresholds()) print(`  ${line}`);
    const collectPort = await freeSidePort();
    print('Starting (or reusing) the local Kafka and the otel stack...');
    const infra: Infrastructure = await startInfrastructure({
      stackName: options.stack,
      ruleFile,
      collectTarget: `127.0.0.1:${collectPort}`,
      keepKafka: options.keepKafka,
      keepStack: options.keepStack,
      log: print,
      signal: abort.signal,
    });
    cleanups.push(() => infra.stop(say));
    for (const line of infra.summary) print(line);

    const exporter: ClusterExporter = await startClusterExporter(infra, collectPort);
    cleanups.push(() => exporter.stop());

    // The orchestrator's own client (topic setup, the lag on the progress line) is not
    // instrumented: only the services' telemetry is the demo's.
    const { Kafka, logLevel } = createRequire(__filename)('kafkajs') as typeof KafkaJs;
    const kafka = new Kafka({
      clientId: 'demo-orchestrator',
      brokers: infra.brokers,
      logLevel: logLevel.NOTHING,
    });
    await ensureTopic(kafka);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());

    let connectors: DemoConnectors | undefined;
    if (infra.connect) {
      connectors = await startDemoConnectors(
        infra.connect.url,
        kafka,
        path.join(DEMO_DIR, 'connect'),
      );
      const started = connectors;
      cleanups.push(() => started.stop());
    }

    const sink: LogSink = openLogSink(options.logFile);
    cleanups.push(() => sink.close());
    const stats = {
      settled: 0,
      crashes: 0,
      timeouts: 0,
      slowMs: 0,
      state: 'starting' as ConsumerState,
    };
    const onReport = (report: ServiceReport) => {
      if (report.type === 'stats') Object.assign(stats, report);
      else if (report.type === 'notice') say(report.text);
    };
    const services: ServiceProcess[] = [SERVICE_NAMES.api, SERVICE_NAMES.settlement].map((name) =>
      startService({
        name,
        entry: path.join(__dirname, `${name}-service.ts`),
        env: serviceEnv(name, infra.brokers, infra.stack.urls.otlpHttp),
        onReport,
        onOutput: (line) => sink.line(name, line),
        onUnexpectedExit: (code, signal) =>
          end({ reason: `${name} exited (${signal ?? `code ${code}`})`, exitCode: 1 }),
      }),
    );
    // Stopped after the load generator (pushed later, run earlier), before the collector.
    cleanups.push(() => Promise.all(services.map((s) => s.stop(SERVICE_STOP_GRACE_MS))));
    const [api, settlement] = services as [ServiceProcess, ServiceProcess];
    const ready = await Promise.race([
      Promise.all([api.ready, settlement.ready]),
      ended.then(() => undefined),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error('the services did not start in 120 s')),
          READY_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    if (!ready) return (await ended).exitCode;
    const apiPort = ready[0].httpPort;

    const load = new LoadGenerator(`http://127.0.0.1:${apiPort}/payments`, options.rate);
    cleanups.push(() => load.stop());

    const { urls } = infra.stack;
    print('');
    print(`Services (OTLP to the Collector at ${urls.otlpHttp}, JSON logs to ${sink.where}):`);
    print(`  ${SERVICE_NAMES.api}: POST http://127.0.0.1:${apiPort}/payments -> topic ${TOPIC}`);
    print(`  ${SERVICE_NAMES.settlement}: consumer group ${GROUP}`);
    print(`Prometheus:          ${urls.prometheus}`);
    print(
      `  its alerts:        ${urls.prometheus}/alerts  (API: ${urls.prometheus}/api/v1/alerts)`,
    );
    print(`Jaeger API:          ${urls.jaeger}/api/traces?service=${SERVICE_NAMES.api}`);
    print(`                     ${urls.jaeger}/api/traces?service=${SERVICE_NAMES.settlement}`);
    print(`Apps' metrics:       ${urls.collectorMetrics}  (the Collector's Prometheus exporter)`);
    print(`Cluster collector:   ${exporter.metricsUrl}  (Prometheus job ${COLLECTOR_JOB})`);
    if (connectors) {
      print(`Kafka Connect connectors (${infra.connect?.url}):`);
      for (const line of connectors.summary) print(`  ${line}`);
    }
    print('');
    print(COMMAND_HELP);
    print('');
    print(
      `LIVE_READY prometheus=${urls.prometheus} jaeger=${urls.jaeger} collect=127.0.0.1:${collectPort} logs=${sink.where}`,
    );

    const startedAt = Date.now();
    let lag: number | undefined;
    const lagTimer = setInterval(() => {
      void settlementLag(admin).then((value) => (lag = value));
    }, 2_000);
    cleanups.push(() => clearInterval(lagTimer));
    progress = new ProgressLine(() => ({
      sent: load.counts.sent,
      settled: stats.settled,
      lag,
      errors: load.counts.failed,
      crashes: stats.crashes,
      timeouts: stats.timeouts,
      rate: load.currentRate,
      consumer: stats.slowMs > 0 ? `${stats.state} +${stats.slowMs}ms` : stats.state,
      elapsedSeconds: (Date.now() - startedAt) / 1000,
    }));
    const line = progress;
    cleanups.push(() => line.stop());

    const execute = (command: DemoCommand) => {
      sink.event(`command ${command.kind}`, { event: 'command', command });
      switch (command.kind) {
        case 'settlement':
          say(
            `> ${command.command.type}${command.command.type === 'slow' ? ` ${command.command.ms}` : ''}`,
          );
          settlement.send(command.command);
          return;
        case 'bad-send':
          say(`> bad-send: ${BAD_SENDS} payments over the broker's max message size, 3 s apart`);
          void load
            .sendOversized(BAD_SENDS, BAD_SEND_GAP_MS)
            .then((refused) => say(`bad-send: ${refused} of ${BAD_SENDS} sends failed`));
          return;
        case 'fail-connector':
          if (!connectors) {
            say('> fail-connector: no Kafka Connect worker (set KAFKA_CONNECT_URL)');
            return;
          }
          say('> fail-connector');
          void connectors
            .failConnector()
            .then(say, (error: Error) => say(`fail-connector: ${error.message}`));
          return;
        case 'rate':
          load.setRate(command.rate);
          say(`> rate ${command.rate}/s`);
          return;
        case 'help':
          say(COMMAND_HELP);
          return;
        case 'quit':
          end({ reason: 'quit', exitCode: 0 });
      }
    };
    const input: CommandInput = readCommands(execute, (message) => say(message));
    cleanups.push(() => input.close());

    load.start();
    progress.start();
    if (options.durationSeconds !== undefined) {
      setTimeout(
        () => end({ reason: `${options.durationSeconds} s elapsed`, exitCode: 0 }),
        options.durationSeconds * 1000,
      ).unref();
    }
    const ending = await ended;
    say(`Stopping (${ending.reason})...`);
    return ending.exitCode;
  } catch (error) {
    if (abort.signal.aborted) return (await ended).exitCode;
    say(`live demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        print(`cleanup: ${String(error)}`);
      }
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    print('Stopped everything this run started.');
  }
}
