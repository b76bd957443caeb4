/**
 * Values the vitest global setups hand to test files through `project.provide` / `inject`.
 * (Type-only: augments vitest's ProvidedContext so `inject('kafkaBrokers')` is typed.)
 */
import type { SecuredClusterSettings } from '../../scripts/local-kafka';

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of every broker of the cluster the suite runs against. */
    kafkaBrokers: string[];
    /**
     * Name of the scripts/local-kafka cluster behind those brokers, or null when KAFKA_BROKERS
     * points at a cluster this launcher does not manage.
     */
    localKafkaCluster: string | null;
    /**
     * How to reach that cluster's SASL_SSL and mTLS listeners (users, passwords, certificate
     * files), or null when the cluster is not a --secure scripts/local-kafka cluster.
     */
    kafkaSecurity: SecuredClusterSettings | null;
    /**
     * Jolokia base URL (`http://127.0.0.1:<port>/jolokia/`) of every broker, in node order, when
     * the cluster runs with --jmx (the `cluster` project's `test3`); empty otherwise.
     */
    jolokiaUrls: string[];
  }
}

export {};
