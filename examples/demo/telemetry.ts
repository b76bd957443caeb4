/**
 * The demo's OpenTelemetry setup, as an application would write it by hand: a Prometheus pull
 * endpoint for metrics, spans kept in memory so the demo can print the trace it produced, W3C
 * propagation, and the KafkaJS instrumentation enabled before kafkajs is loaded.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, type MetricProducer } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { KafkaJsInstrumentation, type KafkaClusterCollector } from 'kafka-otel';

export interface DemoTelemetry {
  spans: InMemorySpanExporter;
  meterProvider: MeterProvider;
  /** Exports the cluster collector's metrics on the same endpoint from now on. */
  exportCluster(collector: KafkaClusterCollector): void;
  metricsUrl: string;
  shutdown(): Promise<void>;
}

export function startTelemetry(prometheusPort: number): DemoTelemetry {
  const resource = resourceFromAttributes({ 'service.name': 'payments-demo' });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
  });
  // An application that knows its brokers at startup passes its KafkaClusterCollector here
  // directly (metricProducers: [collector]); the demo learns them only once the local Kafka it
  // starts is up, after telemetry must already run, so the collector is plugged in later.
  const cluster: { collector?: KafkaClusterCollector } = {};
  const clusterMetrics: MetricProducer = {
    collect: () =>
      cluster.collector?.collect() ??
      Promise.resolve({
        resourceMetrics: { resource, scopeMetrics: [] },
        errors: [],
      }),
  };
  const prometheus = new PrometheusExporter({
    host: '127.0.0.1',
    port: prometheusPort,
    metricProducers: [clusterMetrics],
  });
  const meterProvider = new MeterProvider({ resource, readers: [prometheus] });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);

  const instrumentation = new KafkaJsInstrumentation();
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  instrumentation.enable();

  return {
    spans,
    meterProvider,
    exportCluster: (collector) => {
      cluster.collector = collector;
    },
    metricsUrl: `http://127.0.0.1:${prometheusPort}/metrics`,
    async shutdown() {
      instrumentation.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
