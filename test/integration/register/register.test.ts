/**
 * `kafka-otel/register` on plain applications that know nothing of telemetry: a CommonJS app
 * started with `--require` and an ES module app started with `--import`, both against the real
 * Kafka of the integration suite. Spans go to an in-test OTLP/JSON receiver (so names and
 * parents are asserted exactly), metrics to the Prometheus endpoint.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { occupyPort } from '../../support/ports';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';
import { ensureBuilt } from '../../support/built-package';
import { OtlpReceiver, SpanKind, type ReceivedSpan } from './support/otlp-receiver';
import { KeepAliveScraper } from './support/keep-alive-scraper';
import { parsePrometheusText, scrape, total, type Sample } from './support/prometheus-text';
import { shortJobUnderRegister } from './support/short-job';
import { SpawnedProcess } from './support/spawned-process';

const brokers = injectedBrokers();
const admin = new Kafka({ clientId: 'register-test', brokers, logLevel: logLevel.NOTHING }).admin();
const receiver = new OtlpReceiver();
let receiverUrl = '';
const running: SpawnedProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  receiverUrl = await receiver.start();
  await admin.connect();
}, 120_000);
afterEach(() => running.splice(0).forEach((app) => app.kill()));
afterAll(async () => {
  await admin.disconnect();
  await receiver.stop();
});

async function freePort(): Promise<number> {
  const held = await occupyPort(0);
  await held.close();
  return held.port;
}

/** A fresh topic and group, and the app's environment for them. */
async function scenario(extra: Record<string, string>) {
  const topic = randomTopic('register');
  const group = randomGroup('register');
  await createTopicAndWait(admin, { topic, numPartitions: 1 });
  const env = { KAFKA_BROKERS: brokers.join(','), TOPIC: topic, GROUP: group, ...extra };
  return { topic, group, env };
}

function launch(module: 'cjs' | 'esm', env: Record<string, string>): SpawnedProcess {
  const args =
    module === 'cjs'
      ? ['--require', 'kafka-otel/register', 'test/integration/register/apps/http-kafka-app.cjs']
      : ['--import', 'kafka-otel/register', 'test/integration/register/apps/http-kafka-app.mjs'];
  const app = new SpawnedProcess(args, env);
  running.push(app);
  return app;
}

/** Sends `count` messages through the app's HTTP endpoint and waits until it consumed them. */
async function sendThroughHttp(app: SpawnedProcess, count: number) {
  const { port } = (await app.waitForEvent('listening')) as { port: number };
  const response = await fetch(`http://127.0.0.1:${port}/send?count=${count}`);
  expect(await response.json()).toEqual({ sent: count });
  await waitFor(() => app.eventsNamed('consumed').length >= count, {
    description: `${count} messages consumed`,
  });
}

function spansOf(traceId: string): ReceivedSpan[] {
  return receiver.spans.filter((s) => s.traceId === traceId);
}

function spansOfService(serviceName: string): ReceivedSpan[] {
  return receiver.spans.filter((s) => s.resource['service.name'] === serviceName);
}

/** Names of the scraped series that match `pattern` (histograms count once per suffix). */
function seriesNames(samples: Sample[], pattern: RegExp): string[] {
  return [...new Set(samples.map((s) => s.name).filter((name) => pattern.test(name)))];
}

// Series of each instrumentation register enables, as the Prometheus endpoint names them.
const KAFKA_SERIES = /^(messaging|kafka)_/;
// @opentelemetry/instrumentation-http's server duration (old or stable semantic conventions).
const HTTP_SERVER_SERIES = /^http_server_(request_)?duration/;
const RUNTIME_SERIES = /^(nodejs|v8js)_/;

/**
 * The cjs app under register with spans to the receiver (flushed by SIGTERM) and metrics on a
 * Prometheus endpoint, with `extra` variables.
 */
async function appWithSpansAndEndpoint(serviceName: string, extra: Record<string, string> = {}) {
  const metricsPort = await freePort();
  const { topic, group, env } = await scenario({
    OTEL_SERVICE_NAME: serviceName,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    OTEL_BSP_SCHEDULE_DELAY: '60000',
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    ...extra,
  });
  const app = launch('cjs', env);
  return { app, topic, group, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

describe.each(['cjs', 'esm'] as const)('kafka-otel/register, %s app', (module) => {
  it('traces HTTP -> send -> process as one trace, serves metrics, flushes on SIGTERM', async () => {
    const metricsPort = await freePort();
    const serviceName = `register-${module}-${Date.now()}`;
    const { topic, group, env } = await scenario({
      OTEL_SERVICE_NAME: serviceName,
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=integration,team=kafka%2Cotel',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-test-token=secret-1',
      // Spans may only arrive through the flush on SIGTERM: the batch would wait a minute.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      KAFKA_OTEL_COLLECT_BROKERS: brokers.join(','),
    });
    const app = launch(module, env);
    await sendThroughHttp(app, 3);

    const metrics = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    const where = { messaging_destination_name: topic };
    expect(total(metrics, 'messaging_client_sent_messages_total', where)).toBe(3);
    expect(
      total(metrics, 'messaging_client_consumed_messages_total', {
        ...where,
        messaging_consumer_group_name: group,
      }),
    ).toBe(3);
    // Node runtime metrics (@opentelemetry/instrumentation-runtime-node).
    // (Exposition names of the SDK 2.x exporter; 3.x may append unit suffixes.)
    for (const name of [
      /^nodejs_eventloop_delay_p99(_seconds)?$/,
      /^nodejs_eventloop_utilization(_ratio)?$/,
      /^v8js_memory_heap_used(_bytes)?$/,
    ]) {
      expect(metrics.filter((s) => name.test(s.name)).length, String(name)).toBeGreaterThan(0);
    }
    // The in-process cluster collector (KAFKA_OTEL_COLLECT_BROKERS).
    expect(total(metrics, 'kafka_brokers')).toBe(1);
    expect(total(metrics, 'kafka_topic_partitions', { topic })).toBe(1);
    expect(receiver.spans.filter((s) => s.resource['service.name'] === serviceName)).toEqual([]);

    // Node's default for SIGTERM without a handler: killed by the signal (shells show 143).
    expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const server = receiver.spans.find(
      (s) => s.resource['service.name'] === serviceName && s.kind === SpanKind.SERVER,
    );
    expect(server, 'HTTP server span').toMatchObject({ name: 'GET' });
    expect(
      server!.attributes['http.route'] ??
        server!.attributes['url.path'] ??
        server!.attributes['http.target'],
    ).toBeDefined();
    const trace = spansOf(server!.traceId);
    const sends = trace.filter((s) => s.kind === SpanKind.PRODUCER);
    const processes = trace.filter((s) => s.kind === SpanKind.CONSUMER);
    expect(sends.map((s) => s.name)).toEqual([`send ${topic}`, `send ${topic}`, `send ${topic}`]);
    expect(sends.every((s) => s.parentSpanId === server!.spanId)).toBe(true);
    expect(processes.map((s) => s.name)).toEqual([
      `process ${topic}`,
      `process ${topic}`,
      `process ${topic}`,
    ]);
    const sendIds = new Set(sends.map((s) => s.spanId));
    expect(processes.every((s) => sendIds.has(s.parentSpanId!))).toBe(true);
    expect(new Set(processes.map((s) => s.parentSpanId)).size).toBe(3);
    expect(processes[0]!.attributes['messaging.consumer.group.name']).toBe(group);
    expect(server!.resource).toMatchObject({
      'service.name': serviceName,
      'deployment.environment.name': 'integration',
      team: 'kafka,otel',
    });
    expect(receiver.headers.some((h) => h['x-test-token'] === 'secret-1')).toBe(true);
    expect(app.stderr).not.toContain('kafka-otel:');
  });

  it("lets the app's own SIGTERM handler decide, and flushes when the app ends", async () => {
    const serviceName = `register-own-handler-${module}-${Date.now()}`;
    const { topic, env } = await scenario({
      OTEL_SERVICE_NAME: serviceName,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_METRICS_EXPORTER: 'none',
      APP_OWN_SIGTERM: '1',
    });
    const app = launch(module, env);
    await sendThroughHttp(app, 2);
    expect(await app.stop('SIGTERM')).toEqual({ code: 7, signal: null });
    expect(app.eventsNamed('app-sigterm')).toHaveLength(1);
    const mine = receiver.spans.filter((s) => s.resource['service.name'] === serviceName);
    expect(mine.filter((s) => s.name === `send ${topic}`)).toHaveLength(2);
    expect(mine.filter((s) => s.name === `process ${topic}`)).toHaveLength(2);
  });
});

describe('kafka-otel/register configuration', () => {
  it('warns once per invalid value, uses the defaults, and the app keeps working', async () => {
    const serviceName = `register-invalid-${Date.now()}`;
    const { topic, env } = await scenario({
      OTEL_SERVICE_NAME: serviceName,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      // Default for an unknown exporter: otlp, so metrics reach the receiver.
      OTEL_METRICS_EXPORTER: 'bogus',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      // Default for an unknown sampler: parentbased_always_on, so every span is kept.
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_BSP_SCHEDULE_DELAY: 'soon',
    });
    const app = launch('cjs', env);
    await sendThroughHttp(app, 2);
    await waitFor(
      () =>
        receiver.points.some(
          (p) =>
            p.resource['service.name'] === serviceName &&
            p.metric === 'messaging.client.sent.messages' &&
            p.value === 2,
        ),
      { description: 'sent-message count pushed over OTLP' },
    );
    expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const warnings = app.stderr.split('\n').filter((l) => l.startsWith('kafka-otel:'));
    // One line per invalid variable, each naming the value, what was expected and the default.
    const expected = [
      /^kafka-otel: OTEL_METRICS_EXPORTER='bogus': 'bogus' not supported \(expected otlp, prometheus, console, none\); using otlp$/,
      /^kafka-otel: OTEL_TRACES_SAMPLER='sometimes' is invalid: expected one of .*; using parentbased_always_on$/,
      /^kafka-otel: OTEL_BSP_SCHEDULE_DELAY='soon' is invalid: expected a whole number greater than 0; using the SDK's default$/,
    ];
    expect(warnings, app.stderr).toHaveLength(expected.length);
    for (const pattern of expected) {
      expect(
        warnings.filter((w) => pattern.test(w)),
        String(pattern),
      ).toHaveLength(1);
    }
    const mine = receiver.spans.filter((s) => s.resource['service.name'] === serviceName);
    expect(mine.filter((s) => s.name === `send ${topic}`)).toHaveLength(2);
  });

  it('a taken Prometheus port costs the metrics endpoint, with one warning, not the app', async () => {
    const taken = await occupyPort(0);
    try {
      const { env } = await scenario({
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(taken.port),
      });
      const app = launch('cjs', env);
      await sendThroughHttp(app, 1);
      expect(app.stderr.split('\n').filter((l) => l.startsWith('kafka-otel:'))).toEqual([
        `kafka-otel: cannot serve Prometheus metrics on 127.0.0.1:${taken.port} (listen EADDRINUSE: address already in use 127.0.0.1:${taken.port}); metrics are not exported`,
      ]);
      expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      await taken.close();
    }
  });

  it('an in-process cluster collector never keeps an application that ends from exiting', async () => {
    const serviceName = `register-ends-${Date.now()}`;
    const app = shortJobUnderRegister(serviceName, receiverUrl, {
      KAFKA_OTEL_COLLECT_BROKERS: brokers.join(','),
    });
    running.push(app);
    // The collector connected and reported while the job ran ...
    await waitFor(
      () =>
        receiver.points.some(
          (p) => p.resource['service.name'] === serviceName && p.metric === 'kafka.brokers',
        ),
      { description: 'kafka.brokers from the in-process collector' },
    );
    // ... and the process still ends by itself, with the job's own exit code.
    expect(await app.exitWithin(15_000)).toEqual({ code: 0, signal: null });
    expect(app.eventsNamed('done')).toHaveLength(1);
  });

  it('OTEL_SDK_DISABLED=true starts nothing: no endpoint, no spans, plain exit', async () => {
    const metricsPort = await freePort();
    const serviceName = `register-disabled-${Date.now()}`;
    const { env } = await scenario({
      OTEL_SDK_DISABLED: 'true',
      OTEL_SERVICE_NAME: serviceName,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    const app = launch('cjs', env);
    await sendThroughHttp(app, 1);
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
    expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    expect(receiver.spans.filter((s) => s.resource['service.name'] === serviceName)).toEqual([]);
    // (Node 24 prints KafkaJS's TimeoutNegativeWarning; nothing may come from us.)
    expect(app.stderr).not.toContain('kafka-otel');
  });
});

describe('kafka-otel/register, OTEL_NODE_DISABLED_INSTRUMENTATIONS', () => {
  it('kafkajs: no Kafka span or metric, while HTTP spans and runtime metrics go on', async () => {
    const serviceName = `register-no-kafkajs-${Date.now()}`;
    const { app, metricsUrl } = await appWithSpansAndEndpoint(serviceName, {
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'kafkajs',
    });
    // The app still sends and consumes: only its telemetry is off.
    await sendThroughHttp(app, 2);

    const metrics = await scrape(metricsUrl);
    expect(seriesNames(metrics, KAFKA_SERIES)).toEqual([]);
    expect(seriesNames(metrics, HTTP_SERVER_SERIES)).not.toEqual([]);
    expect(seriesNames(metrics, RUNTIME_SERIES)).not.toEqual([]);

    expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    // The HTTP request's span, and no send, process or other Kafka span.
    expect(spansOfService(serviceName).map((s) => [s.kind, s.name])).toEqual([
      [SpanKind.SERVER, 'GET'],
    ]);
    expect(app.stderr).not.toContain('kafka-otel:');
  });

  it('http,runtime-node: no HTTP span, no HTTP or runtime metric, while Kafka telemetry goes on', async () => {
    const serviceName = `register-no-http-${Date.now()}`;
    const { app, topic, group, metricsUrl } = await appWithSpansAndEndpoint(serviceName, {
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,runtime-node',
    });
    await sendThroughHttp(app, 2);

    const metrics = await scrape(metricsUrl);
    const where = { messaging_destination_name: topic };
    expect(total(metrics, 'messaging_client_sent_messages_total', where)).toBe(2);
    expect(
      total(metrics, 'messaging_client_consumed_messages_total', {
        ...where,
        messaging_consumer_group_name: group,
      }),
    ).toBe(2);
    expect(seriesNames(metrics, /^http_/)).toEqual([]);
    expect(seriesNames(metrics, RUNTIME_SERIES)).toEqual([]);

    expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const mine = spansOfService(serviceName);
    expect(mine.filter((s) => s.kind === SpanKind.SERVER)).toEqual([]);
    // No HTTP server span to be the parent: each send starts its own trace.
    const sends = mine.filter((s) => s.kind === SpanKind.PRODUCER);
    expect(sends.map((s) => [s.name, s.parentSpanId])).toEqual([
      [`send ${topic}`, undefined],
      [`send ${topic}`, undefined],
    ]);
    const processes = mine.filter((s) => s.kind === SpanKind.CONSUMER);
    expect(processes.map((s) => s.name)).toEqual([`process ${topic}`, `process ${topic}`]);
    expect(new Set(processes.map((s) => s.parentSpanId))).toEqual(
      new Set(sends.map((s) => s.spanId)),
    );
    expect(app.stderr).not.toContain('kafka-otel:');
  });
});

describe('kafka-otel/register, the Prometheus endpoint', () => {
  it("gives the app's own HTTP requests a server span and scrapes of /metrics none", async () => {
    const serviceName = `register-scrapes-${Date.now()}`;
    const { app, metricsUrl } = await appWithSpansAndEndpoint(serviceName);
    await app.waitForEvent('listening');
    // Scraped three times, GET as Prometheus does and HEAD, before the app's own request ...
    for (const method of ['GET', 'GET', 'HEAD']) {
      const response = await fetch(metricsUrl, { method });
      await response.arrayBuffer();
      expect(response.status).toBe(200);
    }
    await sendThroughHttp(app, 1);
    // ... and every span ended before SIGTERM flushes them.
    expect(await app.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });
    const servers = spansOfService(serviceName).filter((s) => s.kind === SpanKind.SERVER);
    expect(servers.map((s) => s.name)).toEqual(['GET']);
    expect(servers[0]!.attributes['url.path'] ?? servers[0]!.attributes['http.target']).toMatch(
      /^\/send\b/,
    );
  });

  it('never keeps an application that ends from exiting, nor do the SDK timers, even while scraped', async () => {
    const metricsPort = await freePort();
    const serviceName = `register-ends-prometheus-${Date.now()}`;
    const app = new SpawnedProcess(
      ['--require', 'kafka-otel/register', 'test/integration/register/apps/ends-when-told.cjs'],
      {
        OTEL_SERVICE_NAME: serviceName,
        // Every timer register can start: the span batch, the OTLP metric push, the runtime
        // metrics' sampling, besides the endpoint.
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'prometheus,otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
        OTEL_METRIC_EXPORT_INTERVAL: '200',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      },
    );
    running.push(app);
    await app.waitForEvent('working');
    const scraper = new KeepAliveScraper(`http://127.0.0.1:${metricsPort}/metrics`);
    try {
      scraper.start();
      // Scraped over a connection that stays open between scrapes, as Prometheus does ...
      await waitFor(() => scraper.reusedConnection > 0, {
        description: 'a second scrape on the first one’s connection',
      });
      expect(seriesNames(parsePrometheusText(scraper.lastBody), RUNTIME_SERIES)).not.toEqual([]);
      // ... and pushing over OTLP on the reader's timer.
      await waitFor(() => receiver.points.some((p) => p.resource['service.name'] === serviceName), {
        description: 'a metric push over OTLP',
      });
      expect(app.child.exitCode).toBeNull();

      // The job's work ends while the scraper keeps scraping: the process ends by itself.
      app.child.kill('SIGUSR2');
      expect(await app.exitWithin(15_000)).toEqual({ code: 0, signal: null });
      expect(app.eventsNamed('done')).toHaveLength(1);
    } finally {
      scraper.stop();
    }
    expect(app.stderr).not.toContain('kafka-otel:');
  });
});
