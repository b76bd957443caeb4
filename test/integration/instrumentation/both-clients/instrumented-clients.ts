/**
 * The two clients under their instrumentations, for the test files of this folder: each runs
 * its assertion bodies with `describe.each(CLIENTS)`, and every client has its own
 * TelemetryHarness, so a test reads the telemetry of the client it drives and nothing else.
 * The harnesses are made on first use (a test run alone loads only its client) and shut down
 * by the file's `afterAll(shutdownClients)`.
 */
import type { ConfluentKafkaInstrumentationConfig } from '../../../../src';
import { ConfluentKafkaInstrumentation } from '../../../../src';
import {
  confluentUnderTest,
  kafkaJsUnderTest,
  type ClientName,
  type ClientUnderTest,
  type OutgoingRecord,
} from '../../../support/client-under-test';
import {
  instrumentConfluent,
  type InstrumentedConfluent,
} from '../../../support/instrumented-confluent';
import { instrumentKafkaJs, type InstrumentedKafkaJs } from '../../../support/instrumented-kafkajs';
import type { TelemetryHarness } from '../../../support/telemetry-harness';
import { waitFor } from '../../../support/wait-for';

export const CLIENTS: ClientName[] = ['kafkajs', 'confluent'];

export interface InstrumentedClient {
  name: ClientName;
  harness: TelemetryHarness;
  /** A driver on a new client object of that library, with `clientId`. */
  driver(clientId: string): ClientUnderTest;
  createTopic(partitions?: number, prefix?: string): Promise<string>;
  /** The library's base error class (KafkaJS's own, or Confluent's KafkaJS-API copy of it). */
  errorClass: new (...args: never[]) => Error;
  /** Reconfigures the instrumentation (both take the same options). */
  setConfig(config: ConfluentKafkaInstrumentationConfig): void;
  brokers: string[];
}

let kafkaJs: InstrumentedKafkaJs | undefined;
let confluent: InstrumentedConfluent | undefined;

export function instrumentedClient(name: ClientName): InstrumentedClient {
  if (name === 'kafkajs') {
    kafkaJs ??= instrumentKafkaJs();
    const { harness, kafkajs, createKafka, createTopic, instrumentation, brokers } = kafkaJs;
    return {
      name,
      harness,
      driver: (clientId) => kafkaJsUnderTest(kafkajs, createKafka(clientId)),
      createTopic,
      errorClass: kafkajs.KafkaJSError,
      setConfig: (config) => instrumentation.setConfig(config),
      brokers,
    };
  }
  confluent ??= instrumentConfluent(new ConfluentKafkaInstrumentation());
  const { harness, client, createKafka, createTopic, brokers } = confluent;
  const used = confluent.instrumentation as ConfluentKafkaInstrumentation;
  return {
    name,
    harness,
    driver: (clientId) => confluentUnderTest(createKafka(clientId)),
    createTopic,
    errorClass: (client.KafkaJS as unknown as { KafkaJSError: new () => Error }).KafkaJSError,
    setConfig: (config) => used.setConfig(config),
    brokers,
  };
}

export async function shutdownClients(): Promise<void> {
  await kafkaJs?.shutdown();
  await confluent?.shutdown();
  kafkaJs = undefined;
  confluent = undefined;
}

/** Runs `work` with the instrumentation of `client` configured so, then back to defaults. */
export async function withConfig<T>(
  client: InstrumentedClient,
  config: ConfluentKafkaInstrumentationConfig,
  work: () => Promise<T>,
): Promise<T> {
  client.setConfig(config);
  try {
    return await work();
  } finally {
    client.setConfig({});
  }
}

/** What an `eachMessage` handler was given, as plain values. */
export interface Delivered {
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
}

/**
 * Consumes `topic` from the beginning with a new consumer of `groupId` until `count` process
 * spans of the topic have ended (spans end after the handler settles), then disconnects.
 * `onMessage` runs inside each delivery, in the handler's context.
 */
export async function consumeEachMessage(
  client: InstrumentedClient,
  options: {
    topic: string;
    groupId: string;
    count: number;
    clientId?: string;
    onMessage?: (message: Delivered & { headers: unknown }) => void;
  },
): Promise<Delivered[]> {
  const { topic, groupId, count } = options;
  const delivered: Delivered[] = [];
  const consumer = await client
    .driver(options.clientId ?? 'both-clients-consumer')
    .consumer({ groupId, fromBeginning: true, maxWaitTimeInMs: 100 });
  try {
    await consumer.subscribe([topic]);
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        const seen = {
          partition,
          offset: message.offset,
          key: message.key?.toString(),
          value: message.value,
        };
        delivered.push(seen);
        options.onMessage?.({ ...seen, headers: message.headers });
        return Promise.resolve();
      },
    });
    await waitFor(() => client.harness.spansNamed(`process ${topic}`).length >= count, {
      timeoutMs: 40_000,
      description: `${count} process spans of ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  return delivered.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

/** Sends `messages` to `topic` in one call of a new producer. */
export async function sendOnce(
  client: InstrumentedClient,
  topic: string,
  messages: OutgoingRecord['messages'],
  clientId = 'both-clients-producer',
) {
  const producer = await client.driver(clientId).producer();
  try {
    return await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}
