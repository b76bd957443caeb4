import { CONNECT_JOLOKIA_PORT_OFFSET, CONNECT_REST_PORT_OFFSET, HOST } from './ports';

/** Group of the cluster's Connect worker; its members share connectors, tasks and offsets. */
export const CONNECT_GROUP_ID = 'kafka-otel-connect';

/** Where a distributed worker keeps its state: configs, source offsets, statuses. */
export const CONNECT_INTERNAL_TOPICS = {
  configs: '_connect-configs',
  offsets: '_connect-offsets',
  status: '_connect-status',
} as const;

/** Heap of the worker: the FileStream connectors of the tests need little. */
export const CONNECT_HEAP_MB = 256;

/** REST and Jolokia ports of a cluster's worker: BASE+50 and BASE+51, on loopback. */
export function connectPorts(basePort: number): { restPort: number; jolokiaPort: number } {
  return {
    restPort: basePort + CONNECT_REST_PORT_OFFSET,
    jolokiaPort: basePort + CONNECT_JOLOKIA_PORT_OFFSET,
  };
}

export function connectRestUrl(restPort: number): string {
  return `http://${HOST}:${restPort}`;
}

export interface ConnectConfigInput {
  /** The cluster's PLAINTEXT listeners: the worker is a client like any other, not under test. */
  brokers: string[];
  nodeCount: number;
  restPort: number;
}

/**
 * connect-distributed.properties of the cluster's worker, as ordered pairs (tests look keys up,
 * the file keeps a stable order).
 */
export function connectWorkerProperties(input: ConnectConfigInput): Array<[string, string]> {
  // The internal topics are created by the worker; more replicas than brokers would fail that.
  const replication = String(Math.min(3, input.nodeCount));
  return [
    ['bootstrap.servers', input.brokers.join(',')],
    ['group.id', CONNECT_GROUP_ID],
    // Plain strings: the FileStream connectors move text lines, and tests read them back as is.
    ['key.converter', 'org.apache.kafka.connect.storage.StringConverter'],
    ['value.converter', 'org.apache.kafka.connect.storage.StringConverter'],
    ['config.storage.topic', CONNECT_INTERNAL_TOPICS.configs],
    ['offset.storage.topic', CONNECT_INTERNAL_TOPICS.offsets],
    ['status.storage.topic', CONNECT_INTERNAL_TOPICS.status],
    ['config.storage.replication.factor', replication],
    ['offset.storage.replication.factor', replication],
    ['status.storage.replication.factor', replication],
    // One worker needs no spread; the defaults (25 and 5 partitions) only slow its start.
    ['offset.storage.partitions', '1'],
    ['status.storage.partitions', '1'],
    // Sink commits and source offsets every second, so tests see them quickly (default 60 s).
    ['offset.flush.interval.ms', '1000'],
    // A restarted worker takes its connectors back at once instead of after up to 5 minutes.
    ['scheduled.rebalance.max.delay.ms', '0'],
    // connect-file and the converters declare themselves in ServiceLoader manifests: the default
    // (hybrid_warn) would also scan every class of the classpath by reflection, slowing the start.
    ['plugin.discovery', 'service_load'],
    ['listeners', `http://${HOST}:${input.restPort}`],
    ['rest.advertised.host.name', HOST],
    ['rest.advertised.port', String(input.restPort)],
    ['rest.advertised.listener', 'http'],
  ];
}
