/**
 * What the e2e global setup hands to test files through `project.provide` / `inject`.
 * (Type-only: augments vitest's ProvidedContext so `inject('otelStack')` is typed.)
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The running Collector/Jaeger/Prometheus stack (scripts/otel-stack) of the e2e suite. */
    otelStack: {
      name: string;
      /** OTEL_EXPORTER_OTLP_ENDPOINT for http/protobuf, e.g. http://127.0.0.1:17401. */
      otlpHttp: string;
      /** Prometheus's HTTP API root, e.g. http://127.0.0.1:17410. */
      prometheus: string;
      /** Jaeger's query API root, e.g. http://127.0.0.1:17407. */
      jaeger: string;
      /** The Collector's prometheus exporter, e.g. http://127.0.0.1:17402/metrics. */
      collectorMetrics: string;
    };
  }
}

export {};
