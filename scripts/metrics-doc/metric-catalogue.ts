import { COLLECTOR_SELF_METRICS } from '../../src/collectors/collector-self-metrics';
import { clusterMetrics } from '../../src/collectors/export/cluster-metrics';
import { CLUSTER_METRIC_FAMILIES } from '../../src/collectors/export/cluster-metric-families';
import { collectorMetrics } from '../../src/collectors/export/collector-metrics';
import { consumerGroupMetrics } from '../../src/collectors/export/consumer-group-metrics';
import type { MetricFamily } from '../../src/collectors/export/metric-family';
import { quorumMetrics } from '../../src/collectors/export/quorum-metrics';
import { replicationMetrics } from '../../src/collectors/export/replication-metrics';
import { sinkConnectorMetrics } from '../../src/collectors/export/sink-connector-metrics';
import { storageMetrics } from '../../src/collectors/export/storage-metrics';
import { CONNECT_METRIC_FAMILIES } from '../../src/collectors/connect/connect-metric-families';
import {
  connectHealthMetrics,
  connectStatusMetrics,
} from '../../src/collectors/connect/connect-rest-metrics';
import {
  connectJmxHealthMetrics,
  connectJmxMetrics,
} from '../../src/collectors/connect/connect-jmx-metrics';
import { CONNECT_SELF_METRICS } from '../../src/collectors/connect/connect-self-metrics';
import { BROKER_JMX_METRIC_FAMILIES } from '../../src/collectors/jmx/broker-jmx-metric-families';
import { brokerControllerMetrics } from '../../src/collectors/jmx/broker-controller-metrics';
import { brokerJmxHealthMetrics } from '../../src/collectors/jmx/broker-jmx-health-metrics';
import { brokerRequestMetrics } from '../../src/collectors/jmx/broker-request-metrics';
import { raftMetrics } from '../../src/collectors/jmx/raft-metrics';
import { BROKER_HANDLER_INSTRUMENTS } from '../../src/instrumentation/broker-handler';
import {
  STATISTICS_INSTRUMENTS,
  type StatisticsInstrumentDefinition,
} from '../../src/instrumentation/confluent/statistics-metrics/statistics-instruments';
import {
  CLIENT_INSTRUMENTS,
  type DeclaredAttribute,
  type InstrumentDefinition,
} from '../../src/instrumentation/recorder/client-instruments';

/** One metric as docs/metrics.md lists it, read from its definition in the code. */
export interface CatalogueEntry {
  name: string;
  /** The OpenTelemetry instrument (or data point type) the metric is exported as. */
  instrument: 'counter' | 'up-down counter' | 'histogram' | 'gauge';
  unit: string;
  description: string;
  attributes: readonly DeclaredAttribute[];
  /** A collector series per partition: the first dropped by the series limit, and optional. */
  perPartition: boolean;
}

export interface CatalogueTopic {
  title: string;
  entries: CatalogueEntry[];
}

export interface CatalogueSection {
  title: string;
  /** What emits the section's metrics, one paragraph. */
  about: string;
  topics: CatalogueTopic[];
}

/**
 * The client instruments by name prefix. Every instrument must match one: a new prefix fails
 * the generator rather than landing under a wrong heading.
 */
const CLIENT_TOPICS: readonly { prefix: string; title: string }[] = [
  { prefix: 'messaging.', title: 'Messaging (OpenTelemetry semantic conventions)' },
  { prefix: 'kafka.client.', title: 'Requests, connections and bytes' },
  { prefix: 'kafka.consumer.', title: 'Consumers and groups' },
];

/** The statistics instruments by name prefix; as for the client ones, every one must match. */
const STATISTICS_TOPICS: readonly { prefix: string; title: string }[] = [
  { prefix: 'kafka.client.broker.', title: 'Broker connections' },
  { prefix: 'kafka.producer.', title: 'Producer queue and messages' },
  { prefix: 'kafka.consumer.', title: 'Consumer messages and partitions' },
  { prefix: 'kafka.client.statistics.', title: 'The statistics themselves' },
];

const STATISTICS_KINDS: Record<
  StatisticsInstrumentDefinition['kind'],
  CatalogueEntry['instrument']
> = {
  observableCounter: 'counter',
  observableGauge: 'gauge',
  counter: 'counter',
};

/** A family of any collector's snapshot, as the catalogue reads it (its specs only). */
type AnyFamily = MetricFamily<string, never>;

/**
 * The heading of each collector family; the cluster collector's own family goes to the
 * self-metrics. A family without one fails the generator.
 */
const FAMILY_TOPICS = new Map<AnyFamily, string>([
  [clusterMetrics, 'Brokers and topics'],
  [storageMetrics, 'Offsets and storage'],
  [replicationMetrics, 'Replication and partition health'],
  [quorumMetrics, 'KRaft metadata quorum'],
  [consumerGroupMetrics, 'Consumer groups'],
  [sinkConnectorMetrics, 'Kafka Connect sink connectors'],
  [connectHealthMetrics, 'The Connect REST API'],
  [connectStatusMetrics, 'Connectors, tasks and workers (REST)'],
  [connectJmxHealthMetrics, "The worker's Jolokia agent"],
  [connectJmxMetrics, 'Tasks and workers (JMX)'],
  [brokerJmxHealthMetrics, "The brokers' Jolokia agents"],
  [brokerRequestMetrics, 'Requests per API'],
  [brokerControllerMetrics, 'Partitions and the active controller'],
  [raftMetrics, 'KRaft (Raft metrics)'],
]);

const CLIENT_KINDS: Record<InstrumentDefinition['kind'], CatalogueEntry['instrument']> = {
  counter: 'counter',
  upDownCounter: 'up-down counter',
  histogram: 'histogram',
  gauge: 'gauge',
  observableGauge: 'gauge',
};

/** Every metric this package exports, by source and topic, in declaration order. */
export function metricCatalogue(): CatalogueSection[] {
  const unplaced = Object.values<InstrumentDefinition>(CLIENT_INSTRUMENTS).filter(
    (definition) => !CLIENT_TOPICS.some(({ prefix }) => definition.name.startsWith(prefix)),
  );
  if (unplaced.length > 0) {
    const names = unplaced.map((definition) => definition.name).join(', ');
    throw new Error(`no heading for ${names}: add its prefix to CLIENT_TOPICS`);
  }
  return [
    {
      title: 'Instrumentation',
      about:
        'Recorded in the application process by the KafkaJS instrumentation (`--require kafka-otel/register` or `KafkaJsInstrumentation`) and by the `KafkaMetrics` API, which share one recorder: the same facts give the same series either way. The last group comes from `instrumentBrokerHandler`, for Kafka-protocol servers written in Node.',
      topics: [
        ...CLIENT_TOPICS.map(({ prefix, title }) => ({
          title,
          entries: Object.values<InstrumentDefinition>(CLIENT_INSTRUMENTS)
            .filter((definition) => definition.name.startsWith(prefix))
            .map(instrumentEntry),
        })),
        {
          title: 'Kafka-protocol servers (`instrumentBrokerHandler`)',
          entries: Object.values<InstrumentDefinition>(BROKER_HANDLER_INSTRUMENTS).map(
            instrumentEntry,
          ),
        },
      ],
    },
    {
      title: 'Confluent client statistics',
      about:
        "Read from librdkafka's statistics, so only for `@confluentinc/kafka-javascript` (the Confluent instrumentation turns `statistics.interval.ms` on when the application did not set it). Each client's series are those of its latest statistics document and stop when it disconnects; counters are librdkafka's totals since the client started. The same documents also feed `kafka.consumer.lag` (per partition, from `consumer_lag`) and `kafka.client.request.timeouts` (per broker, from `req_timeouts`, without `kafka.api.name`), listed above.",
      topics: STATISTICS_TOPICS.map(({ prefix, title }) => ({
        title,
        entries: statisticsDefinitions()
          .filter((definition) => definition.name.startsWith(prefix))
          .map((definition) => ({
            name: definition.name,
            instrument: STATISTICS_KINDS[definition.kind],
            unit: definition.unit,
            description: `${definition.description} From \`${definition.source}\`.`,
            attributes: definition.attributes,
            perPartition: false,
          })),
      })),
    },
    {
      title: 'Cluster collector',
      about:
        'Gauges read from one cluster snapshot (`kafka-otel collect`, or `KafkaClusterCollector` in a process): each export shows exactly the series of the latest snapshot, so a deleted topic, group or partition disappears at once.',
      topics: CLUSTER_METRIC_FAMILIES.filter((family) => family !== collectorMetrics).map(
        (family) => ({ title: familyTitle(family), entries: familyEntries(family) }),
      ),
    },
    {
      title: 'Kafka Connect collector',
      about:
        "Read from a Kafka Connect cluster's REST API (`kafka-otel collect --connect-url`, or `KafkaConnectCollector`), one snapshot per cycle like the cluster collector, and, with `--connect-jolokia-url`, from the worker's JMX through its Jolokia agent. Counters are the worker's own totals since its tasks started. Sink-connector lag is exported by the cluster collector (above) for the groups the Connect collector names.",
      topics: [
        ...CONNECT_METRIC_FAMILIES.map((family) => ({
          title: familyTitle(family),
          entries: familyEntries(family),
        })),
        {
          title: 'Connect snapshots taken',
          entries: Object.values(CONNECT_SELF_METRICS).map((definition) => ({
            name: definition.name,
            instrument: definition.kind,
            unit: definition.unit,
            description: definition.description,
            attributes: definition.attributes,
            perPartition: false,
          })),
        },
      ],
    },
    {
      title: 'Broker JMX collector',
      about:
        "Read from the brokers' own JMX through a Jolokia agent on each (`kafka-otel collect --broker-jmx-urls`, or `KafkaBrokerJmxCollector`): what only a broker knows, per API key and version, and its KRaft state. Counters are the broker's totals since it started; a broker whose agent does not answer reads `kafka.broker.jmx.up` 0 and has no other series.",
      topics: BROKER_JMX_METRIC_FAMILIES.map((family) => ({
        title: familyTitle(family),
        entries: familyEntries(family),
      })),
    },
    {
      title: 'Collector self-metrics',
      about:
        'How the collector itself is doing, exported with the cluster gauges. The counters are cumulative since the collector started and appear once there is something to count.',
      topics: [
        { title: 'Last snapshot', entries: familyEntries(collectorMetrics) },
        {
          title: 'Snapshots taken',
          entries: Object.values(COLLECTOR_SELF_METRICS).map((definition) => ({
            name: definition.name,
            instrument: definition.kind,
            unit: definition.unit,
            description: definition.description,
            attributes: definition.attributes,
            perPartition: false,
          })),
        },
      ],
    },
  ];
}

/** Every statistics definition, checked to fall under exactly one topic. */
function statisticsDefinitions(): StatisticsInstrumentDefinition[] {
  const definitions = Object.values<StatisticsInstrumentDefinition>(STATISTICS_INSTRUMENTS);
  for (const definition of definitions) {
    const topics = STATISTICS_TOPICS.filter(({ prefix }) => definition.name.startsWith(prefix));
    if (topics.length !== 1) {
      throw new Error(`${definition.name} needs exactly one heading in STATISTICS_TOPICS`);
    }
  }
  return definitions;
}

function instrumentEntry(definition: InstrumentDefinition): CatalogueEntry {
  return {
    name: definition.name,
    instrument: CLIENT_KINDS[definition.kind],
    unit: definition.unit,
    description: definition.description,
    attributes: definition.attributes,
    perPartition: false,
  };
}

function familyTitle(family: AnyFamily): string {
  const title = FAMILY_TOPICS.get(family);
  if (title === undefined) {
    const names = Object.values(family.metrics).map((spec) => spec.name);
    throw new Error(
      `no heading for the metric family of ${names.join(', ')}: add it to FAMILY_TOPICS`,
    );
  }
  return title;
}

function familyEntries(family: AnyFamily): CatalogueEntry[] {
  return Object.values(family.metrics).map((spec) => ({
    name: spec.name,
    instrument: spec.kind ?? 'gauge',
    unit: spec.unit,
    description: spec.description,
    attributes: spec.attributes,
    perPartition: spec.perPartition === true,
  }));
}
