/**
 * The soak's application: a service as users write one, plain KafkaJS and no OpenTelemetry code.
 * The driver (../soak-run.ts) starts it as `node --require kafka-otel/register main.js` with the
 * Prometheus exporter, OTLP traces and the in-process cluster collector configured through the
 * environment, and asks it over the IPC channel for its memory figures and counters.
 *
 * Environment: SOAK_BROKERS (host:port,...), SOAK_DEADLINE_AT (epoch ms; the app stops itself
 * then, should the driver never tell it to).
 */
import process from 'node:process';
import { ChurnCleanup } from './churn-cleanup';
import { ChurnNames } from './churn-names';
import { GroupChurn } from './group-churn';
import { HeapWatch } from './heap-watch';
import { createKafka, createStableTopics } from './kafka-setup';
import { SoakCounters } from './soak-counters';
import { StableLoad } from './stable-load';
import type { AppMessage, AppStats, DriverMessage } from './stats-protocol';
import { StopSignal, withTimeout } from './stop-signal';
import { TopicChurn } from './topic-churn';

/** How long the loops get to finish their current step once the app stops. */
const WIND_DOWN_MS = 45_000;

function send(message: AppMessage): void {
  if (process.connected) process.send?.(message);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const brokers = requiredEnv('SOAK_BROKERS').split(',');
  const deadlineAt = Number(requiredEnv('SOAK_DEADLINE_AT'));
  const counters = new SoakCounters();
  const names = new ChurnNames();
  const heap = new HeapWatch();
  const stop = new StopSignal();
  heap.start();

  const kafka = createKafka(brokers, counters);
  const admin = kafka.admin();
  const cleanup = new ChurnCleanup(admin, names, counters);
  const stable = new StableLoad(kafka, counters, stop);

  const stats = (): AppStats => ({
    memory: process.memoryUsage(),
    heapAfterMajorGc: heap.heapAfterMajorGc,
    majorGcs: heap.majorGcs,
    sent: counters.sent,
    consumed: counters.consumed,
    errors: counters.errors,
    lastErrors: counters.lastErrors,
    churn: {
      topicsDeleted: cleanup.topicsDeleted,
      groupsDeleted: cleanup.groupsDeleted,
      liveNames: names.liveNames,
      recentlyDeletedNames: names.recentlyDeletedNames,
    },
  });
  process.on('message', (message: DriverMessage) => {
    if (message.type === 'stats') send({ type: 'stats', id: message.id, stats: stats() });
    if (message.type === 'stop') stop.stop();
  });
  // The driver went away (however it ended): nobody is left to read the figures.
  process.on('disconnect', () => stop.stop());
  // Our own handler: register then only flushes, and the app ends the way a service does.
  process.on('SIGTERM', () => stop.stop());
  // Clamped to what a Node timer can hold (24.8 days); the soak's deadlines are far below.
  const deadline = setTimeout(
    () => stop.stop(),
    Math.min(Math.max(0, deadlineAt - Date.now()), 2 ** 31 - 1),
  );

  await withTimeout(admin.connect(), 60_000, 'admin connect');
  await createStableTopics(admin);
  await stable.start();
  send({ type: 'ready' });
  const loops = [
    stable.run(),
    new TopicChurn(kafka, admin, cleanup, names, counters, stop).run(),
    new GroupChurn(kafka, cleanup, names, counters, stop).run(),
  ];

  await stop.whenStopped();
  clearTimeout(deadline);
  await withTimeout(Promise.all(loops), WIND_DOWN_MS, 'the loops to finish').catch((error) =>
    counters.error('shutdown', error),
  );
  await stable.close();
  await withTimeout(admin.disconnect(), 30_000, 'admin disconnect').catch(() => undefined);
  heap.stop();
  // With the IPC channel closed the event loop empties, and register flushes on beforeExit.
  if (process.connected) process.disconnect();
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`soak app failed: ${message}\n`);
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
  // Without this, KafkaJS's reconnect timers would keep the failed app alive.
  setTimeout(() => process.exit(1), 5_000).unref();
  if (process.connected) process.disconnect();
});
