/**
 * `npm run demo`: starts a local single-node Kafka (or uses KAFKA_BROKERS), runs an
 * instrumented payments producer and consumer, and prints what was exported and where.
 * `npm run demo -- --live`: the same pipeline under load until Ctrl-C (see live/live-demo.ts).
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import type * as KafkaJs from 'kafkajs';
import { ensureTopic, GROUP, publishPayments, startSettlement, TOPIC } from './payments';
import { headlineSeries, traceTree } from './report';
import { KafkaClusterCollector } from 'kafka-otel';
import { startTelemetry } from './telemetry';

const PAYMENTS = 20;

async function main() {
  // The demo uses KafkaJS's default partitioner on purpose; its v2 migration notice is noise here.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  // Telemetry first: the instrumentation must be enabled before anything loads kafkajs, and
  // the local Kafka launcher uses kafkajs to wait for the broker, so it is imported after.
  const telemetry = startTelemetry(await freePort(9464));
  const { startCluster, stopCluster } = await import('../../scripts/local-kafka');
  const fromEnv = process.env.KAFKA_BROKERS?.split(',').filter(Boolean);
  let stopKafka = false;
  let brokers = fromEnv ?? [];
  if (!fromEnv?.length) {
    console.log('Starting a local single-node Kafka (first run downloads it with Maven)...');
    const started = await startCluster({ log: (line) => console.log(`  ${line}`) });
    brokers = started.brokers;
    stopKafka = started.startedNodes.length > 0 && !process.argv.includes('--keep-kafka');
  }
  console.log(`Kafka: ${brokers.join(',')}`);

  // kafkajs is loaded only now, after the instrumentation is enabled, so its hooks apply.
  const { Kafka, logLevel } = createRequire(__filename)('kafkajs') as typeof KafkaJs;
  // KafkaJS logs its own retries (a fresh broker has no group coordinator for a moment);
  // the demo reports real failures itself.
  const kafka = new Kafka({ clientId: 'payments-demo', brokers, logLevel: logLevel.NOTHING });
  // Cluster-level metrics from the same process, one snapshot per collection.
  const collector = new KafkaClusterCollector({
    brokers,
    topics: [TOPIC],
  }).start();
  telemetry.exportCluster(collector);

  try {
    await ensureTopic(kafka);
    const settlement = await startSettlement(kafka);
    await publishPayments(kafka, PAYMENTS);
    const settled = await settlement.settled(PAYMENTS, 60_000);
    console.log(
      `\nPublished ${PAYMENTS} payments to '${TOPIC}', group '${GROUP}' settled ${settled}.`,
    );

    console.log(`\nMetrics (Prometheus format) at ${telemetry.metricsUrl}:`);
    for (const line of await headlineSeries(telemetry.metricsUrl)) console.log(`  ${line}`);
    await settlement.stop();

    const spans = telemetry.spans.getFinishedSpans();
    const http = spans.find((span) => span.name === 'POST /payments');
    if (http) {
      console.log('\nOne payment, traced from the HTTP request through Kafka to the consumer:');
      for (const line of traceTree(spans, http.spanContext().traceId)) console.log(`  ${line}`);
    }
    console.log(`\n${spans.length} spans recorded in total.`);
    console.log(
      stopKafka
        ? '\nStopping the local Kafka this demo started (run with --keep-kafka to keep it).'
        : `\nKafka keeps running: stop it with 'npm run kafka -- stop'.`,
    );
  } finally {
    await collector.stop();
    await telemetry.shutdown();
    if (stopKafka) await stopCluster({});
  }
}

/** The preferred port when free, else any free loopback port. */
function freePort(preferred: number): Promise<number> {
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as net.AddressInfo;
        server.close(() => resolve(bound));
      });
    });
  return listen(preferred).catch(() => listen(0));
}

if (process.argv.includes('--live')) {
  // The live demo (examples/demo/live/) runs its services in child processes and sets up
  // no telemetry in this one.
  void import('./live/live-demo').then(async ({ runLiveDemo }) =>
    process.exit(await runLiveDemo(process.argv.slice(2))),
  );
} else {
  main().catch((error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
