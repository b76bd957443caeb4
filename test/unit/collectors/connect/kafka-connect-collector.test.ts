/**
 * KafkaConnectCollector against a loopback stand-in for the Connect REST API (and a Jolokia
 * agent): what each reply becomes, what a malformed or hostile reply becomes (a counted, logged
 * scrape error, never an exception), credentials, and what is observed between snapshots
 * (restarts, new failures). The real worker's behaviour is proven in test/integration/connect/.
 */
import { diag, DiagLogLevel, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KafkaConnectCollector } from '../../../../src/collectors/connect/kafka-connect-collector';
import { TelemetryHarness, type Point } from '../../../support/telemetry-harness';
import { waitFor } from '../../../support/wait-for';
import {
  connectWorker,
  connectorsReply,
  FakeHttpServer,
  WORKER,
  type FakeConnector,
} from './fake-connect-server';

const CONNECTOR = 'kafka.connect.connector';
const TASK = 'kafka.connect.task';
const STATE = 'kafka.connect.state';
const WORKER_KEY = 'kafka.connect.worker';
const TRACE =
  'org.apache.kafka.connect.errors.ConnectException: disk on fire\n' +
  '\tat org.example.Task.start(Task.java:1)\n' +
  'Caused by: java.io.IOException: no space left\n' +
  '\tat org.example.Disk.write(Disk.java:2)\n';

let harness: TelemetryHarness;
let rest: FakeHttpServer;
let url: string;
let collector: KafkaConnectCollector | undefined;
let warnings: string[];

beforeAll(() => {
  harness = new TelemetryHarness();
  trace.setGlobalTracerProvider(harness.tracerProvider);
});
afterAll(async () => {
  trace.disable();
  await harness.shutdown();
});
beforeEach(async () => {
  rest = new FakeHttpServer();
  url = await rest.start();
  warnings = [];
  harness.spanExporter.reset();
});
afterEach(async () => {
  await collector?.stop();
  collector = undefined;
  await rest.stop();
});

/** Points of one collection, by metric name. */
interface Reading {
  points(name: string, where?: Attributes): Point[];
  /** The one matching point's value, or a description of why there is not exactly one. */
  value(name: string, where?: Attributes): number | string;
  total(name: string, where?: Attributes): number;
  metrics: MetricData[];
}

/**
 * A started collector taking a fresh snapshot at every collection; `scrape()` collects once
 * (one snapshot) and returns what that collection exported.
 */
function collect(options: Partial<ConstructorParameters<typeof KafkaConnectCollector>[0]> = {}) {
  collector = new KafkaConnectCollector({
    url,
    minSnapshotIntervalMs: 0,
    warn: (message) => warnings.push(message),
    ...options,
  }).start();
  const current = collector;
  const scrape = async (): Promise<Reading> => {
    const { resourceMetrics } = await current.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const points = (name: string, where: Attributes = {}): Point[] =>
      metrics
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) =>
          metric.dataPoints.map((point) => ({
            attributes: point.attributes,
            value:
              typeof point.value === 'number'
                ? point.value
                : (point.value as { count: number }).count,
          })),
        )
        .filter((point) =>
          Object.entries(where).every(([key, value]) => point.attributes[key] === value),
        );
    return {
      metrics,
      points,
      value: (name, where) => {
        const found = points(name, where);
        return found.length === 1 ? found[0]!.value : `${found.length} points`;
      },
      total: (name, where) => points(name, where).reduce((sum, p) => sum + p.value, 0),
    };
  };
  return { collector: current, scrape };
}

const source: FakeConnector = {
  name: 'files-in',
  type: 'source',
  tasks: [{ id: 0, state: 'RUNNING' }],
};
const sink: FakeConnector = {
  name: 'files-out',
  type: 'sink',
  tasks: [
    { id: 0, state: 'RUNNING', worker: 'w2:8083' },
    { id: 1, state: 'FAILED', trace: TRACE },
  ],
};

describe('KafkaConnectCollector: a healthy reply', () => {
  it('reports connectors, tasks and workers exactly, states one-hot', async () => {
    rest.reply = connectWorker(() => connectorsReply([source, sink]));
    const r = await collect().scrape();
    expect(r.value('kafka.connect.up')).toBe(1);
    const sinkStates = r.points('kafka.connect.connector.state', { [CONNECTOR]: 'files-out' });
    expect(sinkStates.map((p) => [p.attributes[STATE], p.value])).toEqual([
      ['RUNNING', 1],
      ['PAUSED', 0],
      ['STOPPED', 0],
      ['FAILED', 0],
      ['UNASSIGNED', 0],
      ['RESTARTING', 0],
    ]);
    expect(sinkStates[0]!.attributes['kafka.connect.connector.type']).toBe('sink');
    expect(r.value('kafka.connect.connector.tasks.configured', { [CONNECTOR]: 'files-out' })).toBe(
      2,
    );
    const byState = r.points('kafka.connect.connector.tasks', { [CONNECTOR]: 'files-out' });
    expect(Object.fromEntries(byState.map((p) => [p.attributes[STATE], p.value]))).toEqual({
      RUNNING: 1,
      PAUSED: 0,
      STOPPED: 0,
      FAILED: 1,
      UNASSIGNED: 0,
      RESTARTING: 0,
    });
    const failed = r.points('kafka.connect.task.state', { [STATE]: 'FAILED' });
    expect(failed.filter((p) => p.value === 1).map((p) => p.attributes)).toEqual([
      { [CONNECTOR]: 'files-out', [TASK]: 1, [WORKER_KEY]: WORKER, [STATE]: 'FAILED' },
    ]);
    expect(r.value('kafka.connect.worker.connectors', { [WORKER_KEY]: WORKER })).toBe(2);
    expect(r.value('kafka.connect.worker.tasks', { [WORKER_KEY]: WORKER })).toBe(2);
    // A worker that runs only a task has 0 connectors, not a missing series.
    expect(r.value('kafka.connect.worker.connectors', { [WORKER_KEY]: 'w2:8083' })).toBe(0);
    expect(r.value('kafka.connect.worker.tasks', { [WORKER_KEY]: 'w2:8083' })).toBe(1);
    expect(r.value('kafka.connect.task.restarts', { [CONNECTOR]: 'files-out', [TASK]: 1 })).toBe(0);
    expect(r.value('kafka.connect.skipped_connectors')).toBe(0);
    // No Jolokia configured: no JMX health series.
    expect(r.points('kafka.connect.jmx.up')).toEqual([]);
    // One snapshot is one request: the expanded connectors list, nothing else.
    expect(rest.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /connectors?expand=status&expand=info',
    ]);
  });

  it('never puts a trace into an attribute', async () => {
    rest.reply = connectWorker(() => connectorsReply([sink]));
    const r = await collect().scrape();
    expect(r.value('kafka.connect.up')).toBe(1);
    for (const metric of r.metrics) {
      for (const point of metric.dataPoints) {
        for (const attribute of Object.values(point.attributes)) {
          expect(String(attribute)).not.toContain('Exception');
        }
      }
    }
  });

  it('reports only the connectors the filter names', async () => {
    rest.reply = connectWorker(() => connectorsReply([source, sink]));
    const r = await collect({ connectors: /files-i.*/ }).scrape();
    const names = new Set(
      r.points('kafka.connect.connector.state').map((p) => p.attributes[CONNECTOR]),
    );
    expect([...names]).toEqual(['files-in']);
  });

  it('leaves out a connector deleted while the worker assembled the reply', async () => {
    rest.reply = connectWorker(() => ({
      ...connectorsReply([source]),
      gone: { status: null, info: null },
    }));
    const r = await collect().scrape();
    expect(r.value('kafka.connect.up')).toBe(1);
    expect(r.points('kafka.connect.connector.state', { [CONNECTOR]: 'gone' })).toEqual([]);
    expect(r.points('kafka.connect.connector.state', { [CONNECTOR]: 'files-in' })).toHaveLength(6);
    expect(r.points('kafka.connect.scrape.errors')).toEqual([]);
  });

  it('names the sink connector of a consumer group', async () => {
    const overridden: FakeConnector = {
      name: 'to-s3',
      type: 'sink',
      tasks: [],
      config: { 'consumer.override.group.id': 'archive' },
    };
    rest.reply = connectWorker(() => connectorsReply([source, sink, overridden]));
    const { collector, scrape } = collect();
    expect(collector.connectorOfGroup('connect-files-out')).toBeUndefined(); // nothing seen yet
    expect((await scrape()).value('kafka.connect.up')).toBe(1);
    expect(collector.connectorOfGroup('connect-files-out')).toBe('files-out');
    expect(collector.connectorOfGroup('archive')).toBe('to-s3');
    expect(collector.connectorOfGroup('connect-to-s3')).toBeUndefined();
    expect(collector.connectorOfGroup('connect-files-in')).toBeUndefined(); // a source
    // The REST API failing: no sink is known (the sink lag labelled with it stops) until
    // Connect answers again.
    const healthy = rest.reply;
    rest.reply = () => ({ status: 500, body: {} });
    expect((await scrape()).value('kafka.connect.up')).toBe(0);
    expect(collector.connectorOfGroup('connect-files-out')).toBeUndefined();
    expect(collector.connectorOfGroup('archive')).toBeUndefined();
    rest.reply = healthy;
    expect((await scrape()).value('kafka.connect.up')).toBe(1);
    expect(collector.connectorOfGroup('connect-files-out')).toBe('files-out');
  });
});

describe('KafkaConnectCollector: replies it cannot use', () => {
  it.each([
    ['a list', []],
    ['a number', 42],
    ['null', null],
  ])('%s: up 0, no connector series, one counted and logged error', async (_, body) => {
    rest.reply = connectWorker(() => body);
    const r = await collect().scrape();
    expect(r.value('kafka.connect.up')).toBe(0);
    expect(r.points('kafka.connect.connector.state')).toEqual([]);
    expect(r.points('kafka.connect.task.state')).toEqual([]);
    expect(r.points('kafka.connect.worker.tasks')).toEqual([]);
    expect(r.points('kafka.connect.skipped_connectors')).toEqual([]);
    expect(
      r.total('kafka.connect.scrape.errors', { phase: 'rest', 'error.type': 'malformed_reply' }),
    ).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('malformed_reply');
    expect(warnings[0]).toContain('kafka.connect.up=0');
  });

  const malformedEntries: Array<[string, unknown]> = [
    ['a connector that is a string', { ...connectorsReply([source]), 'files-out': 'x' }],
    [
      'a name past 1024 characters',
      { ...connectorsReply([source]), ...connectorsReply([{ ...sink, name: 'n'.repeat(1025) }]) },
    ],
    ['a state that is not a string', connectorsReplyWith((s) => (s.connector.state = 7))],
    ['a state with a trace in it', connectorsReplyWith((s) => (s.connector.state = TRACE))],
    ['a negative task id', connectorsReplyWith((s) => (s.tasks[0].id = -1))],
    ['tasks that are not a list', connectorsReplyWith((s) => (s.tasks = { 0: 'RUNNING' }))],
    ['a worker id that is not a string', connectorsReplyWith((s) => (s.tasks[0].worker_id = {}))],
    ['a trace that is not a string', connectorsReplyWith((s) => (s.tasks[0].trace = 1))],
    ['an unknown connector type', connectorsReplyWith((s) => (s.type = 'Sink Connector!'))],
  ];
  it.each(malformedEntries)(
    '%s: that connector alone is left out, counted, and logged once',
    async (_, body) => {
      rest.reply = connectWorker(() => body);
      const { scrape } = collect();
      for (let cycle = 1; cycle <= 2; cycle++) {
        const r = await scrape();
        expect(r.value('kafka.connect.up')).toBe(1);
        expect(r.value('kafka.connect.skipped_connectors')).toBe(1);
        const reported = new Set(
          r.points('kafka.connect.connector.state').map((p) => p.attributes[CONNECTOR]),
        );
        expect(reported).toEqual(new Set(['files-in']));
        expect(r.points('kafka.connect.task.state')).toHaveLength(6); // files-in's one task
        expect(r.points('kafka.connect.scrape.errors')).toEqual([]);
      }
      // One line when it appears, not one per collection; never the trace it may hold.
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^Kafka Connect REST API http:\/\/127\.0\.0\.1:\d+: left out malformed connector entry "(files-out|n{80}…)" \(.+\); kafka\.connect\.skipped_connectors=1$/,
      );
      expect(warnings[0]).not.toContain('\n');
    },
  );

  it('a body that is not JSON is a malformed reply', async () => {
    rest.reply = connectWorker(() => '<html>login</html>');
    const r = await collect().scrape();
    expect(r.value('kafka.connect.up')).toBe(0);
    expect(
      r.total('kafka.connect.scrape.errors', { phase: 'rest', 'error.type': 'malformed_reply' }),
    ).toBe(1);
  });

  it('an error status: one warning for the outage, one line when it recovers', async () => {
    let failing = true;
    const healthy = connectWorker(() => connectorsReply([source]));
    rest.reply = (request) =>
      failing
        ? { status: 500, body: { error_code: 500, message: 'herder busy' } }
        : healthy(request);
    const { scrape } = collect();
    expect((await scrape()).value('kafka.connect.up')).toBe(0);
    const second = await scrape();
    expect(second.value('kafka.connect.up')).toBe(0);
    // Two snapshots, each counting one REST error (its two requests failed together).
    expect(
      second.total('kafka.connect.scrape.errors', { phase: 'rest', 'error.type': 'status' }),
    ).toBe(2);
    // The endpoint named once (the client's error message starts with it too).
    expect(warnings).toEqual([
      `Kafka Connect REST API ${url} failed (status: HTTP 500: herder busy); kafka.connect.up=0, retrying every collection`,
    ]);
    failing = false;
    expect((await scrape()).value('kafka.connect.up')).toBe(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toBe(`Kafka Connect REST API ${url} answers again`);
  });

  it('stop() during a snapshot: no outage logged, and a later start() takes a fresh one', async () => {
    const healthy = connectWorker(() => connectorsReply([source]));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    rest.reply = async (request) => {
      await held;
      return healthy(request);
    };
    // A long sharing interval: a snapshot kept from before stop() would be served after start().
    const { collector, scrape } = collect({ minSnapshotIntervalMs: 60_000 });
    const during = collector.collect();
    await waitFor(() => rest.requests.length === 1, {
      timeoutMs: 10_000,
      description: 'the snapshot to be under way',
    });
    await collector.stop();
    expect((await during).resourceMetrics.scopeMetrics).toEqual([]);
    release();
    collector.start();
    const r = await scrape();
    expect(r.value('kafka.connect.up')).toBe(1);
    expect(r.points('kafka.connect.connector.state', { [STATE]: 'RUNNING' })).toHaveLength(1);
    expect(r.points('kafka.connect.scrape.errors')).toEqual([]);
    expect(r.points('kafka.connect.scrape.duration')).toEqual([
      { attributes: {}, value: 1 }, // the interrupted snapshot is not counted
    ]);
    expect(warnings).toEqual([]);
  });
});

describe('KafkaConnectCollector: credentials', () => {
  it('sends Basic authentication on every request', async () => {
    rest.reply = connectWorker(() => connectorsReply([]));
    const r = await collect({ username: 'monitor', password: 's3cret-pw' }).scrape();
    expect(r.value('kafka.connect.up')).toBe(1);
    const expected = `Basic ${Buffer.from('monitor:s3cret-pw').toString('base64')}`;
    expect(rest.requests.map((q) => q.authorization)).toEqual([expected]);
  });

  it('a 401 is an unauthorized error whose warning never holds the password', async () => {
    rest.reply = () => ({ status: 401, body: { error_code: 401, message: 'Unauthorized' } });
    const r = await collect({ username: 'monitor', password: 's3cret-pw' }).scrape();
    expect(r.value('kafka.connect.up')).toBe(0);
    expect(r.total('kafka.connect.scrape.errors', { 'error.type': 'unauthorized' })).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 401 (check the username and password)');
    expect(warnings[0]).not.toContain('s3cret-pw');
    expect(warnings[0]).not.toContain(Buffer.from('monitor:s3cret-pw').toString('base64'));
  });

  it('rejects bad options with a TypeError that never shows a secret', () => {
    const attempts: Array<Record<string, unknown>> = [
      { url: 'ftp://monitor:s3cret-pw@host' },
      { url: 'http://monitor:s3cret-pw@host:notaport' },
      { url: 'http://host', username: 'monitor' },
      { url: 'http://host', password: 's3cret-pw' },
      { url: 'http://host', username: 'monitor', password: 12345 },
      { url: 'http://host', jolokiaUrl: 'http://host', jolokiaPassword: 's3cret-pw' },
      { url: 'http://host', snapshotTimeoutMs: 0 },
      { url: 'http://host', minSnapshotIntervalMs: -1 },
      { url: 'http://host', connectors: '(' },
      { url: 'http://host', tls: 'yes' },
    ];
    for (const options of attempts) {
      let thrown: unknown;
      try {
        new KafkaConnectCollector(options as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(options)).toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(/^KafkaConnectCollector: /);
      expect((thrown as Error).message).not.toContain('s3cret-pw');
      expect((thrown as Error).message).not.toContain('12345');
    }
  });
});

describe('KafkaConnectCollector: between snapshots', () => {
  it('logs a newly FAILED task once, with a span event carrying its trace, and counts restarts', async () => {
    let tasks: FakeConnector['tasks'] = [{ id: 0, state: 'RUNNING', worker: 'w1:8083' }];
    rest.reply = connectWorker(() =>
      connectorsReply([{ name: 'orders-out', type: 'sink', tasks }]),
    );
    const { scrape } = collect();
    const restarts = async () =>
      (await scrape()).value('kafka.connect.task.restarts', {
        [CONNECTOR]: 'orders-out',
        [TASK]: 0,
      });
    expect(await restarts()).toBe(0);

    tasks = [{ id: 0, state: 'FAILED', worker: 'w1:8083', trace: TRACE }];
    expect(await restarts()).toBe(0);
    expect(await restarts()).toBe(0); // still FAILED: not new
    expect(warnings).toEqual([
      'Kafka Connect task orders-out/0 on worker w1:8083 is FAILED: ' +
        'org.apache.kafka.connect.errors.ConnectException: disk on fire ... ' +
        'Caused by: java.io.IOException: no space left',
    ]);
    const spans = harness.spansNamed('kafka.connect.task.failed');
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span!.attributes).toEqual({
      [CONNECTOR]: 'orders-out',
      [TASK]: 0,
      [WORKER_KEY]: 'w1:8083',
    });
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
    expect(span!.events[0]!.attributes).toEqual({
      'exception.type': 'org.apache.kafka.connect.errors.ConnectException',
      'exception.message': 'disk on fire',
      'exception.stacktrace': TRACE,
    });

    tasks = [{ id: 0, state: 'RUNNING', worker: 'w1:8083' }];
    expect(await restarts()).toBe(1); // FAILED -> RUNNING
    tasks = [{ id: 0, state: 'RUNNING', worker: 'w2:8083' }];
    expect(await restarts()).toBe(2); // moved to another worker
    tasks = [{ id: 0, state: 'RESTARTING', worker: 'w2:8083' }];
    expect(await restarts()).toBe(2);
    tasks = [{ id: 0, state: 'RUNNING', worker: 'w2:8083' }];
    expect(await restarts()).toBe(3); // RESTARTING -> RUNNING
    tasks = [{ id: 0, state: 'UNASSIGNED', worker: 'w2:8083' }];
    expect(await restarts()).toBe(3);
    tasks = [{ id: 0, state: 'RUNNING', worker: 'w2:8083' }];
    expect(await restarts()).toBe(4); // UNASSIGNED -> RUNNING
    tasks = [{ id: 0, state: 'PAUSED', worker: 'w2:8083' }];
    expect(await restarts()).toBe(4);
    tasks = [{ id: 0, state: 'RUNNING', worker: 'w2:8083' }];
    expect(await restarts()).toBe(4); // a resume is not a restart
    expect(harness.spansNamed('kafka.connect.task.failed')).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it('a span processor that throws costs the span, never the snapshot', async () => {
    const throwing: SpanProcessor = {
      onStart: () => {
        throw new Error('span processor bug');
      },
      onEnd: () => undefined,
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const logged: string[] = [];
    diag.setLogger(
      {
        error: (message) => logged.push(message),
        warn: (message) => logged.push(message),
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
    trace.disable();
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [throwing] }));
    try {
      let failed = 0;
      rest.reply = connectWorker(() =>
        connectorsReply([
          {
            name: 'orders-out',
            type: 'sink',
            tasks: [0, 1].map((id) => ({ id, state: id < failed ? 'FAILED' : 'RUNNING' })),
          },
        ]),
      );
      const { scrape } = collect();
      // Each cycle finds a task newly FAILED: each records a span, each span's start throws.
      for (failed = 1; failed <= 2; failed++) {
        const r = await scrape();
        expect(r.value('kafka.connect.up')).toBe(1);
        expect(
          r.value('kafka.connect.connector.tasks', {
            [CONNECTOR]: 'orders-out',
            [STATE]: 'FAILED',
          }),
        ).toBe(failed);
      }
      expect(warnings.filter((w) => w.includes('is FAILED'))).toHaveLength(2);
      // Said once, not once per span.
      expect(logged).toEqual([
        'kafka-otel: Kafka Connect collector: recording the span of a FAILED connector or task ' +
          'threw (Error: span processor bug); ignored, the snapshot is unaffected; later errors ' +
          'of the kind are not logged',
      ]);
    } finally {
      diag.disable();
      trace.disable();
      trace.setGlobalTracerProvider(harness.tracerProvider);
    }
  });

  it('a restart counter is a monotonic sum', async () => {
    rest.reply = connectWorker(() => connectorsReply([source]));
    const r = await collect().scrape();
    const metric = r.metrics.find((m) => m.descriptor.name === 'kafka.connect.task.restarts');
    expect(metric).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true });
  });

  it('counts a connector restart and logs a FAILED connector', async () => {
    let state = 'FAILED';
    rest.reply = connectWorker(() =>
      connectorsReply([{ name: 'cdc', type: 'source', state, trace: TRACE, tasks: [] }]),
    );
    const { scrape } = collect();
    const restarts = async () =>
      (await scrape()).value('kafka.connect.connector.restarts', { [CONNECTOR]: 'cdc' });
    expect(await restarts()).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Kafka Connect connector cdc on worker .* is FAILED: /);
    expect(harness.spansNamed('kafka.connect.connector.failed')).toHaveLength(1);
    state = 'RUNNING';
    expect(await restarts()).toBe(1);
  });

  it("drops a deleted connector's series at the next collection", async () => {
    let connectors = [source, sink];
    rest.reply = connectWorker(() => connectorsReply(connectors));
    const { scrape } = collect();
    const names = (r: Reading) =>
      new Set(r.points('kafka.connect.connector.state').map((p) => p.attributes[CONNECTOR]));
    expect(names(await scrape())).toEqual(new Set(['files-in', 'files-out']));
    connectors = [source];
    const after = await scrape();
    expect(names(after)).toEqual(new Set(['files-in']));
    expect(after.points('kafka.connect.task.state', { [CONNECTOR]: 'files-out' })).toEqual([]);
    expect(after.points('kafka.connect.task.restarts', { [CONNECTOR]: 'files-out' })).toEqual([]);
  });
});

describe('KafkaConnectCollector: JMX over Jolokia', () => {
  let jolokia: FakeHttpServer;
  let jolokiaUrl: string;
  beforeEach(async () => {
    jolokia = new FakeHttpServer();
    jolokiaUrl = `${await jolokia.start()}/jolokia/`;
  });
  afterEach(() => jolokia.stop());

  /** Jolokia's bulk answer: one entry per query, a pattern's beans keyed by ObjectName. */
  function jolokiaAnswers(beans: Record<string, Record<string, Record<string, unknown>>>) {
    return (request: { body: string }) => {
      const queries = JSON.parse(request.body) as Array<{ mbean: string }>;
      return {
        body: queries.map((query) => {
          const type = /type=([^,]+)/.exec(query.mbean)![1]!;
          const value = beans[type];
          if (!value) {
            return {
              status: 404,
              error_type: 'javax.management.InstanceNotFoundException',
              request: query,
            };
          }
          const single = !query.mbean.includes('*');
          return { status: 200, request: query, value: single ? Object.values(value)[0] : value };
        }),
      };
    };
  }

  it('exports totals as counters and times in seconds, read in one request', async () => {
    rest.reply = connectWorker(() => connectorsReply([source, sink]));
    jolokia.reply = jolokiaAnswers({
      'source-task-metrics': {
        'kafka.connect:type=source-task-metrics,connector=files-in,task=0': {
          'source-record-poll-total': 7,
          'source-record-write-total': 6,
          'poll-batch-avg-time-ms': 250,
          'poll-batch-max-time-ms': null,
        },
      },
      'task-error-metrics': {
        'kafka.connect:type=task-error-metrics,connector=files-out,task=1': {
          'deadletterqueue-produce-requests': 3,
          'total-record-errors': 4,
        },
      },
      'connect-worker-rebalance-metrics': {
        'kafka.connect:type=connect-worker-rebalance-metrics': {
          'completed-rebalances-total': 5,
          rebalancing: 0,
        },
      },
    });
    const r = await collect({ jolokiaUrl }).scrape();
    const polled = r.metrics.find(
      (m) => m.descriptor.name === 'kafka.connect.source.records.polled',
    );
    expect(polled).toMatchObject({ dataPointType: DataPointType.SUM, isMonotonic: true });
    expect(r.value('kafka.connect.jmx.up')).toBe(1);
    const inTask = { [CONNECTOR]: 'files-in', [TASK]: 0 };
    expect(r.value('kafka.connect.source.records.polled', inTask)).toBe(7);
    expect(r.value('kafka.connect.source.records.written', inTask)).toBe(6);
    expect(r.value('kafka.connect.source.poll.batch.time.avg', inTask)).toBe(0.25);
    expect(r.points('kafka.connect.source.poll.batch.time.max')).toEqual([]); // null: a gap
    const outTask = { [CONNECTOR]: 'files-out', [TASK]: 1 };
    expect(r.value('kafka.connect.task.dlq.produce.requests', outTask)).toBe(3);
    expect(r.value('kafka.connect.task.record.errors', outTask)).toBe(4);
    expect(r.value('kafka.connect.worker.rebalances')).toBe(5);
    expect(r.value('kafka.connect.worker.rebalancing')).toBe(0);
    expect(jolokia.requests.map((q) => q.method)).toEqual(['POST']); // one bulk read
    expect(r.points('kafka.connect.scrape.errors')).toEqual([]);
  });

  it('a Jolokia agent that is down costs the JMX series only', async () => {
    rest.reply = connectWorker(() => connectorsReply([source]));
    jolokia.reply = () => ({ status: 503, body: 'unavailable' });
    const r = await collect({ jolokiaUrl }).scrape();
    expect(r.value('kafka.connect.jmx.up')).toBe(0);
    expect(r.value('kafka.connect.up')).toBe(1);
    expect(r.points('kafka.connect.connector.state', { [STATE]: 'RUNNING' })).toHaveLength(1);
    expect(r.points('kafka.connect.source.records.polled')).toEqual([]);
    expect(r.total('kafka.connect.scrape.errors', { phase: 'jmx', 'error.type': 'status' })).toBe(
      1,
    );
    expect(r.total('kafka.connect.scrape.errors', { phase: 'rest' })).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('kafka.connect.jmx.up=0');
  });

  /** Jolokia's answer to a read its access policy forbids. */
  function refused(query: unknown) {
    return {
      status: 403,
      request: query,
      error_type: 'java.lang.SecurityException',
      error: 'Reading attribute is forbidden by the access policy',
    };
  }

  it('an agent refusing every query reads jmx.up 0: one line when refusals start, one when they stop', async () => {
    rest.reply = connectWorker(() => connectorsReply([source]));
    const answering = jolokiaAnswers({
      'source-task-metrics': {
        'kafka.connect:type=source-task-metrics,connector=files-in,task=0': {
          'source-record-poll-total': 7,
        },
      },
    });
    let refusing = true;
    jolokia.reply = (request) =>
      refusing
        ? { body: (JSON.parse(request.body) as unknown[]).map(refused) }
        : answering(request);
    const { scrape } = collect({ jolokiaUrl });
    for (let cycle = 1; cycle <= 2; cycle++) {
      const r = await scrape();
      expect(r.value('kafka.connect.jmx.up')).toBe(0);
      expect(r.value('kafka.connect.up')).toBe(1);
      expect(r.points('kafka.connect.source.records.polled')).toEqual([]);
      // Four per-task bean types and two worker beans: six queries, each refused, each cycle.
      expect(
        r.total('kafka.connect.scrape.errors', { phase: 'jmx', 'error.type': 'query_failed' }),
      ).toBe(6 * cycle);
    }
    expect(warnings).toEqual([
      `Kafka Connect Jolokia agent ${jolokiaUrl} refused or failed 6 JMX queries (first: ` +
        'kafka.connect:type=source-task-metrics,connector=*,task=*: status 403, ' +
        'java.lang.SecurityException: Reading attribute is forbidden by the access policy); ' +
        'kafka.connect.jmx.up=0, what it answered is still exported',
    ]);
    refusing = false;
    const r = await scrape();
    expect(r.value('kafka.connect.jmx.up')).toBe(1);
    expect(r.value('kafka.connect.source.records.polled', { [CONNECTOR]: 'files-in' })).toBe(7);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toBe(`Kafka Connect Jolokia agent ${jolokiaUrl} answers again`);
  });

  it('a partly refused read reads jmx.up 0 and still exports what was read', async () => {
    rest.reply = connectWorker(() => connectorsReply([source, sink]));
    const answering = jolokiaAnswers({
      'source-task-metrics': {
        'kafka.connect:type=source-task-metrics,connector=files-in,task=0': {
          'source-record-poll-total': 7,
        },
      },
      'task-error-metrics': {
        'kafka.connect:type=task-error-metrics,connector=files-out,task=1': {
          'total-record-errors': 4,
        },
      },
    });
    jolokia.reply = (request) => {
      const { body } = answering(request);
      const queries = JSON.parse(request.body) as Array<{ mbean: string }>;
      return {
        body: body.map((answer, i) =>
          queries[i]!.mbean.includes('task-error-metrics') ? refused(queries[i]) : answer,
        ),
      };
    };
    const r = await collect({ jolokiaUrl }).scrape();
    expect(r.value('kafka.connect.jmx.up')).toBe(0);
    expect(r.value('kafka.connect.source.records.polled', { [CONNECTOR]: 'files-in' })).toBe(7);
    expect(r.points('kafka.connect.task.record.errors')).toEqual([]);
    expect(
      r.total('kafka.connect.scrape.errors', { phase: 'jmx', 'error.type': 'query_failed' }),
    ).toBe(1);
    const agentLines = warnings.filter((w) => w.includes('Jolokia agent'));
    expect(agentLines).toHaveLength(1);
    expect(agentLines[0]).toContain(
      'refused or failed 1 JMX query (first: kafka.connect:type=task-error-metrics,connector=*,task=*: status 403',
    );
  });

  it('JMX series are not exported while the REST API is down', async () => {
    rest.reply = () => ({ status: 500, body: {} });
    jolokia.reply = jolokiaAnswers({
      'source-task-metrics': {
        'kafka.connect:type=source-task-metrics,connector=files-in,task=0': {
          'source-record-poll-total': 7,
        },
      },
    });
    const r = await collect({ jolokiaUrl }).scrape();
    expect(r.value('kafka.connect.up')).toBe(0);
    expect(r.value('kafka.connect.jmx.up')).toBe(1);
    expect(r.points('kafka.connect.source.records.polled')).toEqual([]);
  });
});

/** `files-in` as it is and `files-out` with its status changed by `change` (to make it malformed). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a reply reshaped at will
function connectorsReplyWith(change: (status: any) => void): unknown {
  const reply = connectorsReply([source, sink]) as Record<string, { status: unknown }>;
  change(reply['files-out']!.status);
  return reply;
}
