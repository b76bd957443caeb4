import { Kafka, logLevel, type Admin, type ITopicConfig, type logCreator } from 'kafkajs';
import type { SoakCounters } from './soak-counters';
import { withTimeout } from './stop-signal';

/** The topics the steady load uses for the whole run; replicated on all three brokers. */
export const STABLE_TOPICS = {
  /** Plain producer in, eachMessage and eachBatch groups out; the short-lived groups read it. */
  orders: 'soak-orders',
  /** Idempotent producer in, the eachBatch group out. */
  payments: 'soak-payments',
  /** Transactional producer in, a read_committed group out. */
  ledger: 'soak-ledger',
} as const;

const STABLE_TOPIC_CONFIGS: ITopicConfig[] = [
  { topic: STABLE_TOPICS.orders, numPartitions: 6, replicationFactor: 3 },
  { topic: STABLE_TOPICS.payments, numPartitions: 3, replicationFactor: 3 },
  { topic: STABLE_TOPICS.ledger, numPartitions: 3, replicationFactor: 3 },
];

/**
 * KafkaJS's log, one line per WARN or ERROR entry on stderr (the driver sends it to the app's log
 * file), each ERROR entry also counted: while a broker restarts, these are the client's
 * connection and retry complaints.
 */
function countingLogger(counters: SoakCounters): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (level > logLevel.WARN) return;
      const { message, error } = log as { message: string; error?: string };
      const tag = level === logLevel.ERROR ? 'ERROR' : 'WARN';
      process.stderr.write(
        `${new Date().toISOString()} ${tag} [${namespace}] ${message}${error ? ` (${error})` : ''}\n`,
      );
      if (level === logLevel.ERROR) counters.error('kafkajs-log', `${namespace}: ${message}`);
    };
}

/**
 * One Kafka instance for the whole app, as most services have. Every client shares its client
 * id: a per-client id would give every short-lived client its own series (the application's
 * choice, not what the soak measures).
 */
export function createKafka(brokers: string[], counters: SoakCounters): Kafka {
  return new Kafka({
    clientId: 'soak-app',
    brokers,
    logLevel: logLevel.WARN,
    logCreator: countingLogger(counters),
  });
}

/** Creates the stable topics (a fresh cluster has none) and waits for their leaders. */
export async function createStableTopics(admin: Admin): Promise<void> {
  await withTimeout(
    admin.createTopics({ topics: STABLE_TOPIC_CONFIGS, waitForLeaders: true, timeout: 30_000 }),
    60_000,
    'creating the stable topics',
  );
}

/** `count` small messages with distinct keys, so they spread over the partitions. */
export function messageBatch(label: string, sequence: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    key: `${label}-${sequence}-${i}`,
    value: JSON.stringify({ label, sequence, index: i, at: Date.now(), pad: 'x'.repeat(120) }),
  }));
}
