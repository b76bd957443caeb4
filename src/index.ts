export { KafkaJsInstrumentation } from './instrumentation/kafkajs/kafkajs-instrumentation';
export { ConfluentKafkaInstrumentation } from './instrumentation/confluent/confluent-instrumentation';
export { messageContext } from './instrumentation/message-context';
export type {
  ConsumerHook,
  ConsumerHookInfo,
  ConfluentKafkaInstrumentationConfig,
  KafkaJsInstrumentationConfig,
  ProducerContextRelation,
  ProducerHook,
  ProducerHookInfo,
  ProducerSpanMode,
} from './instrumentation/types';
export { KafkaMetrics } from './instrumentation/kafka-metrics';
export type {
  CommitRecord,
  ConsumeRecord,
  CrashRecord,
  KafkaMetricsOptions,
  LagRecord,
  ProduceRecord,
  RebalanceRecord,
  RecordedError,
  RequestRecord,
} from './instrumentation/kafka-metrics';
export { instrumentBrokerHandler } from './instrumentation/broker-handler';
export type {
  BrokerHandlerOptions,
  InstrumentedBrokerHandler,
  KafkaRequestInfo,
  ResponseDescription,
} from './instrumentation/broker-handler';
export { KafkaClusterCollector } from './collectors/kafka-cluster-collector';
export type { KafkaClusterCollectorOptions } from './collectors/kafka-cluster-collector';
export { KafkaConnectCollector } from './collectors/connect/kafka-connect-collector';
export type { KafkaConnectCollectorOptions } from './collectors/connect/kafka-connect-collector';
export type {
  ConnectSnapshot,
  ConnectorStatus,
  TaskStatus,
} from './collectors/connect/connect-snapshot';
export { KafkaBrokerJmxCollector } from './collectors/jmx/kafka-broker-jmx-collector';
export type {
  BrokerJmxEndpoint,
  KafkaBrokerJmxCollectorOptions,
} from './collectors/jmx/kafka-broker-jmx-collector';
export type { BrokerJmxSnapshot } from './collectors/jmx/broker-jmx-snapshot';
export { KafkaCollectors } from './collectors/kafka-collectors';
export type { KafkaCollectorsOptions } from './collectors/kafka-collectors';
export type {
  ClusterSnapshot,
  GroupSnapshot,
  PartitionSnapshot,
  SnapshotError,
  SnapshotPhase,
  TopicSnapshot,
} from './collectors/cluster-snapshot';
