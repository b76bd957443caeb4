import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CollectionResult, MetricProducer, ScopeMetrics } from '@opentelemetry/sdk-metrics';
import type { KafkaBrokerJmxCollectorOptions } from './jmx/kafka-broker-jmx-collector';
import { KafkaBrokerJmxCollector } from './jmx/kafka-broker-jmx-collector';
import type { KafkaConnectCollectorOptions } from './connect/kafka-connect-collector';
import { KafkaConnectCollector } from './connect/kafka-connect-collector';
import {
  KafkaClusterCollector,
  type KafkaClusterCollectorOptions,
} from './kafka-cluster-collector';

const NO_RESOURCE = resourceFromAttributes({});

/** The sources one exporter collects: the cluster always, Kafka Connect and brokers' JMX if asked. */
export interface KafkaCollectorsOptions {
  cluster: KafkaClusterCollectorOptions;
  connect?: KafkaConnectCollectorOptions;
  brokerJmx?: KafkaBrokerJmxCollectorOptions;
}

/**
 * The collectors of one exporter (`kafka-otel collect`, `register`), linked and run together:
 * the cluster collector asks the Connect collector which groups are sink connectors, so their
 * lag is also exported per connector. As a MetricProducer it collects every source at once and
 * hands the reader all their metrics; one source failing costs only its own series (each
 * reports its own `up`), even one whose collection rejected.
 */
export class KafkaCollectors implements MetricProducer {
  readonly cluster: KafkaClusterCollector;
  readonly connect: KafkaConnectCollector | undefined;
  readonly brokerJmx: KafkaBrokerJmxCollector | undefined;
  private readonly collectors: Array<
    KafkaClusterCollector | KafkaConnectCollector | KafkaBrokerJmxCollector
  >;

  constructor(options: KafkaCollectorsOptions) {
    const connect = options.connect ? new KafkaConnectCollector(options.connect) : undefined;
    this.connect = connect;
    this.brokerJmx = options.brokerJmx ? new KafkaBrokerJmxCollector(options.brokerJmx) : undefined;
    this.cluster = new KafkaClusterCollector({
      ...options.cluster,
      ...(connect ? { connectorOfGroup: (groupId) => connect.connectorOfGroup(groupId) } : {}),
    });
    this.collectors = [
      this.cluster,
      ...(connect ? [connect] : []),
      ...(this.brokerJmx ? [this.brokerJmx] : []),
    ];
  }

  start(): this {
    for (const collector of this.collectors) collector.start();
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all(this.collectors.map((collector) => collector.stop().catch(() => undefined)));
  }

  /** Every source's metrics of this cycle, collected at once; never rejects. */
  async collect(): Promise<CollectionResult> {
    // Concurrently, so that a slow source never delays the others past the reader's timeout.
    // The cluster snapshot therefore names sink connectors from the Connect collector's latest
    // finished snapshot (the previous cycle's), which a connector's lifetime far outlasts.
    // Settled one by one: a collector that rejects (it should not) costs its own series and
    // shows as an error of the collection, never the other sources' or the application's.
    const settled = await Promise.allSettled(
      this.collectors.map((collector) => collector.collect()),
    );
    const scopeMetrics: ScopeMetrics[] = [];
    const errors: unknown[] = [];
    for (const outcome of settled) {
      if (outcome.status === 'rejected') {
        errors.push(outcome.reason);
        continue;
      }
      scopeMetrics.push(...outcome.value.resourceMetrics.scopeMetrics);
      errors.push(...outcome.value.errors);
    }
    // The readers export under the MeterProvider's resource; a producer's own is not used.
    return { resourceMetrics: { resource: NO_RESOURCE, scopeMetrics }, errors };
  }
}
