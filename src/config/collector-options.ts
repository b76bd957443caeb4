import type { KafkaClusterCollectorOptions } from '../collectors/kafka-cluster-collector';

/**
 * Collector options as the settings produce them (the meter provider is the caller's). Declares
 * `maxSeries` itself until KafkaClusterCollectorOptions has it; then the intersection is a no-op.
 */
export type CollectorOptions = Omit<KafkaClusterCollectorOptions, 'meterProvider'> & {
  /** Most series one snapshot exports (the collector's default when unset). */
  maxSeries?: number;
};
