/**
 * The OpenTelemetry SDK of the instrumented variants (`metrics`, `traces`, `contrib` and their
 * Confluent counterparts), registered globally the way an application's start-up code (or
 * NodeSDK) does it:
 *  - every variant: an AsyncLocalStorage context manager, the W3C trace-context propagator and a
 *    MeterProvider with a reader;
 *  - `traces`, `contrib` and `confluent-traces` also: a TracerProvider whose BatchSpanProcessor
 *    feeds a counting exporter. The metrics variants have no tracer provider, like an app with
 *    OTEL_TRACES_EXPORTER=none, so the instrumentation gets the API's no-op tracer.
 */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type * as ContribKafkaJs from '@opentelemetry/instrumentation-kafkajs';
import type * as KafkaOtel from 'kafka-otel';
import { createRequire } from 'node:module';
import { clientOf, telemetryOf, type Scenario, type Variant } from '../run-contract';
import { CountingSpanExporter } from './counting-span-exporter';
import type { TelemetryOutcome, VariantTelemetry } from './variant-telemetry';

/**
 * A reader collected once, at the end of the run. A periodic exporting reader would add its
 * export work at moments that differ between runs; a real app's 60 s interval would not even
 * fire within one run.
 */
class EndOfRunReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The counter that must equal the number of messages the scenario moved. */
function messageCounterName(scenario: Scenario): string {
  return scenario === 'produce'
    ? 'messaging.client.sent.messages'
    : 'messaging.client.consumed.messages';
}

/** Sum of a counter's successful points; failed points (with `error.type`) fail the run. */
function successfulTotal(all: MetricData[], name: string): number {
  const found = all.filter((metric) => metric.descriptor.name === name);
  if (found.length === 0) throw new Error(`kafka-otel recorded no ${name} at all`);
  let total = 0;
  for (const metric of found) {
    if (metric.dataPointType !== DataPointType.SUM) {
      throw new Error(`${name} is not a counter (data point type ${metric.dataPointType})`);
    }
    for (const point of metric.dataPoints) {
      const errorType = point.attributes['error.type'];
      if (errorType !== undefined) {
        throw new Error(
          `${name} has ${point.value} failed message(s) with error.type=${String(errorType)}`,
        );
      }
      total += point.value;
    }
  }
  return total;
}

function createInstrumentation(variant: Variant, kafkaOtelEntry: string): Instrumentation {
  const nodeRequire = createRequire(__filename);
  if (telemetryOf(variant) === 'contrib') {
    const contrib = nodeRequire('@opentelemetry/instrumentation-kafkajs') as typeof ContribKafkaJs;
    return new contrib.KafkaJsInstrumentation();
  }
  // The built package, as users get it; never the TypeScript sources.
  const kafkaOtel = nodeRequire(kafkaOtelEntry) as typeof KafkaOtel;
  return clientOf(variant) === 'confluent'
    ? new kafkaOtel.ConfluentKafkaInstrumentation()
    : new kafkaOtel.KafkaJsInstrumentation();
}

export function setUpOpenTelemetry(variant: Variant, kafkaOtelEntry: string): VariantTelemetry {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());

  const reader = new EndOfRunReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(meterProvider);

  const spanExporter = telemetryOf(variant) === 'metrics' ? undefined : new CountingSpanExporter();
  const tracerProvider = spanExporter
    ? new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: spanExporter })] })
    : undefined;
  if (tracerProvider) trace.setGlobalTracerProvider(tracerProvider);

  registerInstrumentations({ instrumentations: [createInstrumentation(variant, kafkaOtelEntry)] });

  return {
    async verify(scenario: Scenario, messages: number): Promise<TelemetryOutcome> {
      const outcome: TelemetryOutcome = {
        spansExported: undefined,
        messageCounterTotal: undefined,
      };
      if (telemetryOf(variant) !== 'contrib') {
        const { resourceMetrics, errors } = await reader.collect();
        if (errors.length > 0) {
          throw new AggregateError(errors, 'collecting the MeterProvider failed');
        }
        const name = messageCounterName(scenario);
        const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
        outcome.messageCounterTotal = successfulTotal(all, name);
        if (outcome.messageCounterTotal !== messages) {
          throw new Error(
            `kafka-otel's ${name} totals ${outcome.messageCounterTotal}, but the run moved ${messages} messages`,
          );
        }
      }
      if (tracerProvider && spanExporter) {
        await tracerProvider.forceFlush();
        outcome.spansExported = spanExporter.exported;
        if (spanExporter.exported === 0) {
          throw new Error(`the ${variant} variant exported no span`);
        }
      }
      return outcome;
    },
    async shutdown(): Promise<void> {
      await Promise.all([meterProvider.shutdown(), tracerProvider?.shutdown()]);
      contextManager.disable();
    },
  };
}
