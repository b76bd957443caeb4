/**
 * The `settlement` service, a child process of the live demo: the consumer group that settles
 * payments, and the timeout probe, instrumented without code by `kafka-otel/register`.
 * Reports its counters every second and answers the terminal's commands.
 */
import 'kafka-otel/register';
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import type * as KafkaJs from 'kafkajs';
import type { ServiceCommand } from './ipc-messages';
import { jsonLog, kafkaJsLogCreator } from './json-log';
import { SettlementConsumer } from './settlement-consumer';
import { report, serveCommands } from './service-channel';
import { provokeRequestTimeout } from './timeout-probe';

const SERVICE = 'settlement';
const log = jsonLog(SERVICE);

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  // Loaded after `register` (the first import), so the instrumentation's hooks apply.
  const kafkajs = createRequire(__filename)('kafkajs') as typeof KafkaJs;
  const kafkaConfig = {
    brokers,
    logLevel: kafkajs.logLevel.WARN,
    logCreator: kafkaJsLogCreator(log),
  };
  const kafka = new kafkajs.Kafka({ ...kafkaConfig, clientId: SERVICE });
  const consumer = new SettlementConsumer(kafka, log);
  let timeouts = 0;
  let probes = Promise.resolve();
  const tracer = trace.getTracer('live-demo');
  const runProbe = () =>
    tracer.startActiveSpan('demo timeout probe', async (span) => {
      try {
        const seen = await provokeRequestTimeout(kafkajs, kafkaConfig);
        timeouts += seen;
        const text =
          seen > 0
            ? `a SyncGroup request timed out (${seen})`
            : 'the probe saw no request time out';
        log(seen > 0 ? 'info' : 'warn', text, { event: 'probe.done', timeouts: seen });
        report({ type: 'notice', text: `settlement: ${text}` });
      } catch (error) {
        log('error', 'timeout probe failed', { event: 'probe.failed', error: String(error) });
        report({ type: 'notice', text: `settlement: timeout probe failed: ${String(error)}` });
      } finally {
        span.end();
      }
    });

  const run = async (command: ServiceCommand): Promise<string> => {
    switch (command.type) {
      case 'slow':
        consumer.slowMs = command.ms;
        return `settling takes ${command.ms} ms more per payment`;
      case 'pause':
        return consumer.pause();
      case 'stop':
        return consumer.stop();
      case 'resume':
        return consumer.resume();
      case 'crash':
        return consumer.crash();
      case 'timeout':
        // In the background, one probe after another: a probe takes seconds (more when the
        // previous probe's follower still has to expire), and `stop` or `crash` should not
        // wait for it.
        probes = probes.then(() => runProbe());
        return 'timeout probe queued';
      case 'shutdown':
        return 'shutting down';
    }
  };

  const stats = setInterval(() => {
    report({
      type: 'stats',
      settled: consumer.settled,
      crashes: consumer.crashes,
      timeouts,
      slowMs: consumer.slowMs,
      state: consumer.state,
    });
  }, 1_000);
  // Each command runs in a span of its own: its log lines are in one trace in Jaeger.
  serveCommands(
    (command) =>
      tracer.startActiveSpan(`demo command ${command.type}`, async (span) => {
        log('info', `command ${command.type}`, { event: 'command', command });
        try {
          const text = await run(command);
          log('info', text, { event: 'command.done', command: command.type });
          report({ type: 'notice', text: `settlement: ${text}` });
        } catch (error) {
          log('error', `command ${command.type} failed`, { error: String(error) });
          report({ type: 'notice', text: `settlement: ${command.type} failed: ${String(error)}` });
        } finally {
          span.end();
        }
      }),
    async () => {
      clearInterval(stats);
      await consumer.shutdown();
      // A probe under way ends within seconds; its clients would hold the process meanwhile.
      await Promise.race([probes, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      log('info', 'settlement stopped', { event: 'service.stopped' });
    },
  );

  await consumer.start();
  log('info', 'settlement consuming', { event: 'service.ready' });
  report({ type: 'ready' });
}

main().catch((error: unknown) => {
  log('error', 'settlement failed', { error: String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
