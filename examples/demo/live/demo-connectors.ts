/**
 * The live demo's Kafka Connect pipeline, so that the Connect dashboard and alerts have
 * something real to show: FileStream connectors on the demo's worker (the launcher's, on this
 * machine: the files are local paths).
 *  - `demo-file-source`: a file the demo appends a line to every second → topic LINES_TOPIC;
 *  - `demo-payments-sink`: the payments topic → a file (its group `connect-demo-payments-sink`
 *    gives the sink-lag panels their series);
 *  - `demo-events-sink`: EVENTS_TOPIC → a file through the JsonConverter, errors tolerated and
 *    sent to DLQ_TOPIC; the demo writes one record it cannot parse every second, so task errors
 *    and the dead letter queue grow (KafkaConnectTaskErrors, KafkaConnectDeadLetterQueueGrowing);
 *  - on `fail-connector`: `demo-failing-sink`, whose task cannot create its file and goes FAILED
 *    (KafkaConnectTaskFailed) while the connector itself stays RUNNING.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import { TOPIC } from '../payments';

export const LINES_TOPIC = 'demo-connect-lines';
export const EVENTS_TOPIC = 'demo-connect-events';
export const DLQ_TOPIC = 'demo-connect-dlq';
/** Topics the cluster collector watches for the Connect pipeline (the sinks' lag needs them). */
export const CONNECT_TOPICS = [LINES_TOPIC, EVENTS_TOPIC, DLQ_TOPIC];

const SOURCE = 'demo-file-source';
const PAYMENTS_SINK = 'demo-payments-sink';
const EVENTS_SINK = 'demo-events-sink';
const FAILING_SINK = 'demo-failing-sink';

const FILE_SOURCE_CLASS = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const FILE_SINK_CLASS = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

const FEED_INTERVAL_MS = 1_000;
const REST_TIMEOUT_MS = 30_000;

export interface DemoConnectors {
  /** What was created, one line per connector, for the terminal. */
  summary: string[];
  /** Creates `demo-failing-sink`; resolves to a line for the terminal. */
  failConnector(): Promise<string>;
  /** Stops feeding and deletes the demo's connectors (the worker may be someone else's). */
  stop(): Promise<void>;
}

/** PUT /connectors/<name>/config: creates the connector, or reconfigures the one a previous run left. */
async function putConnector(
  connectUrl: string,
  name: string,
  config: Record<string, string>,
): Promise<void> {
  const response = await fetch(`${connectUrl}/connectors/${encodeURIComponent(name)}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'tasks.max': '1', ...config }),
    signal: AbortSignal.timeout(REST_TIMEOUT_MS),
  });
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(
      `Kafka Connect refused connector ${name}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`,
    );
  }
}

async function deleteConnector(connectUrl: string, name: string): Promise<void> {
  await fetch(`${connectUrl}/connectors/${encodeURIComponent(name)}`, {
    method: 'DELETE',
    signal: AbortSignal.timeout(REST_TIMEOUT_MS),
  });
}

/**
 * Creates the topics and connectors and starts feeding them. `dir` holds the files (created);
 * `kafka` is the orchestrator's uninstrumented client.
 */
export async function startDemoConnectors(
  connectUrl: string,
  kafka: Kafka,
  dir: string,
): Promise<DemoConnectors> {
  const files = {
    source: path.join(dir, 'source-lines.txt'),
    payments: path.join(dir, 'payments-sink.txt'),
    events: path.join(dir, 'events-sink.txt'),
    // A directory that never exists: the failing sink's task cannot open its file.
    unwritable: path.join(dir, 'no-such-directory', 'failing-sink.txt'),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(files.source, '');

  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = CONNECT_TOPICS.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: 1 })),
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }

  const created = new Set<string>();
  const put = async (name: string, config: Record<string, string>) => {
    await putConnector(connectUrl, name, config);
    created.add(name);
  };
  await put(SOURCE, {
    'connector.class': FILE_SOURCE_CLASS,
    file: files.source,
    topic: LINES_TOPIC,
  });
  await put(PAYMENTS_SINK, {
    'connector.class': FILE_SINK_CLASS,
    file: files.payments,
    topics: TOPIC,
  });
  await put(EVENTS_SINK, {
    'connector.class': FILE_SINK_CLASS,
    file: files.events,
    topics: EVENTS_TOPIC,
    'value.converter': JSON_CONVERTER,
    'value.converter.schemas.enable': 'false',
    'errors.tolerance': 'all',
    'errors.log.enable': 'true',
    'errors.deadletterqueue.topic.name': DLQ_TOPIC,
    'errors.deadletterqueue.topic.replication.factor': '1',
    'errors.deadletterqueue.context.headers.enable': 'true',
  });

  const producer: Producer = kafka.producer();
  await producer.connect();
  let sequence = 0;
  let feeding: Promise<unknown> = Promise.resolve();
  // One line for the source, one good event and one the JsonConverter rejects, every second.
  const timer = setInterval(() => {
    sequence += 1;
    const at = new Date().toISOString();
    fs.appendFileSync(files.source, `line ${sequence} at ${at}\n`);
    feeding = producer
      .send({
        topic: EVENTS_TOPIC,
        messages: [
          { value: JSON.stringify({ sequence, at }) },
          { value: `not json: event ${sequence}` },
        ],
      })
      .catch(() => undefined);
  }, FEED_INTERVAL_MS);

  return {
    summary: [
      `${SOURCE}: ${files.source} -> topic ${LINES_TOPIC} (a line a second)`,
      `${PAYMENTS_SINK}: topic ${TOPIC} -> ${files.payments}`,
      `${EVENTS_SINK}: topic ${EVENTS_TOPIC} (JSON; one bad record a second) -> ${files.events}, rejects -> topic ${DLQ_TOPIC}`,
    ],
    async failConnector() {
      await put(FAILING_SINK, {
        'connector.class': FILE_SINK_CLASS,
        file: files.unwritable,
        topics: EVENTS_TOPIC,
      });
      return `${FAILING_SINK}: its task cannot create ${files.unwritable} and goes FAILED`;
    },
    async stop() {
      clearInterval(timer);
      await feeding;
      await producer.disconnect().catch(() => undefined);
      await Promise.allSettled([...created].map((name) => deleteConnector(connectUrl, name)));
    },
  };
}
