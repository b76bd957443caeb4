/**
 * Issue 5, e2e 1: a plain CommonJS app and a plain ES-module app (KafkaJS + node:http, no
 * OpenTelemetry code), started with `--require` / `--import` kafka-otel/register, push OTLP to
 * the real Collector running otel-collector.yaml; Prometheus scrapes the Collector; what the
 * apps did is found through Prometheus's HTTP API under the names the app's own /metrics would
 * use (see NAMING in otel-collector.yaml).
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestKafka } from '../support/kafka-client';
import { randomGroup, randomTopic, uniqueName } from '../support/names';
import { promValue } from '../support/otel-stack-queries';
import '../support/otel-stack-context';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';
import { callApp, startApp, type AppKind, type RunningApp } from './support/app-process';
import { stopAll } from './support/child-process';

const stack = inject('otelStack');
const brokers = inject('kafkaBrokers');

/** Waits until an instant query yields exactly `expected` (Prometheus scrapes every second). */
async function expectPromValue(expr: string, expected: number): Promise<void> {
  await waitFor(
    async () => {
      const value = await promValue(stack.prometheus, expr);
      if (value !== expected) throw new Error(`${expr} is ${value ?? 'absent'}, want ${expected}`);
      return true;
    },
    { timeoutMs: 45_000, intervalMs: 500, description: expr },
  );
}

describe.each<AppKind>(['cjs', 'esm'])('zero-code %s app -> Collector -> Prometheus', (kind) => {
  const topic = randomTopic(`e2e-${kind}-orders`);
  const group = randomGroup(`e2e-${kind}-billing`);
  const service = uniqueName(`e2e-${kind}-app`);
  const apps: RunningApp[] = [];
  let admin: Admin;
  let app: RunningApp;

  beforeAll(async () => {
    admin = createTestKafka().admin();
    await admin.connect();
    await createTopicAndWait(admin, { topic, numPartitions: 3, replicationFactor: 1 });
    app = await startApp({
      kind,
      service,
      brokers,
      otlpEndpoint: stack.otlpHttp,
      consume: { topic, group },
      // The in-process cluster collector reports the group's lag through the same pipeline.
      env: {
        KAFKA_OTEL_COLLECT_BROKERS: brokers.join(','),
        KAFKA_OTEL_COLLECT_TOPICS: topic,
        KAFKA_OTEL_COLLECT_GROUPS: group,
      },
    });
    apps.push(app);
  });

  afterAll(async () => {
    await stopAll(apps);
    await admin?.disconnect();
  });

  it('exports exactly the messages it sent, consumed, and the lag its group left', async () => {
    // 5 messages consumed (and committed when the consumer leaves), then 3 nobody consumes.
    await callApp(app, 'POST', `/publish?topic=${topic}&count=5`);
    await waitFor(
      async () => (await callApp<{ consumed: number }>(app, 'GET', '/consumed')).consumed === 5,
      { timeoutMs: 30_000, intervalMs: 200, description: `${service} to consume 5 messages` },
    );
    await callApp(app, 'POST', '/consumer/stop');
    await callApp(app, 'POST', `/publish?topic=${topic}&count=3`);

    const of = `job="${service}"`;
    await expectPromValue(
      `sum(messaging_client_sent_messages_total{${of}, messaging_destination_name="${topic}"})`,
      8,
    );
    await expectPromValue(
      `sum(messaging_client_consumed_messages_total{${of}, messaging_destination_name="${topic}", messaging_consumer_group_name="${group}"})`,
      5,
    );
    // Per partition and summed by the collector: 8 written, 5 committed.
    await expectPromValue(
      `sum(kafka_consumer_group_lag{${of}, group="${group}", topic="${topic}"})`,
      3,
    );
    await expectPromValue(
      `kafka_consumer_group_lag_sum{${of}, group="${group}", topic="${topic}"}`,
      3,
    );
  });

  it('keeps the names an app scraped directly would have: no unit suffix, _total on counters', async () => {
    const of = `job="${service}"`;
    // Histograms in seconds and bytes: no `_seconds` / `_bytes` suffix added by the Collector.
    await waitFor(
      async () =>
        ((await promValue(stack.prometheus, `sum(kafka_client_request_duration_count{${of}})`)) ??
          0) > 0,
      { timeoutMs: 30_000, intervalMs: 500, description: 'kafka_client_request_duration_count' },
    );
    expect(
      await promValue(
        stack.prometheus,
        `count(kafka_client_request_duration_seconds_count{${of}})`,
      ),
    ).toBeUndefined();
    // A 0/1 gauge of the collector: no `_ratio` suffix.
    expect(await promValue(stack.prometheus, `max(kafka_collector_up{${of}})`)).toBe(1);
    expect(
      await promValue(stack.prometheus, `count(kafka_collector_up_ratio{${of}})`),
    ).toBeUndefined();
  });
});
