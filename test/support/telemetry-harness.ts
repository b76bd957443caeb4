/**
 * An in-process OpenTelemetry SDK for tests: spans in memory, metrics collected on demand, W3C
 * propagation and an AsyncLocalStorage context manager, as a real application would have.
 */
import { context, propagation, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

/** A reader the test pulls from; cumulative like Prometheus unless asked for delta. */
class PullReader extends MetricReader {
  constructor(temporality: AggregationTemporality) {
    super({ aggregationTemporalitySelector: () => temporality });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Counts span starts and ends, to prove no span is left open. */
class OpenSpanCounter implements SpanProcessor {
  started = 0;
  ended = 0;
  onStart() {
    this.started++;
  }
  onEnd() {
    this.ended++;
  }
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

export interface Point {
  attributes: Attributes;
  /** Counter / gauge value, or the histogram's count. */
  value: number;
  /** Histogram sum (undefined for counters and gauges). */
  sum?: number;
}

export class TelemetryHarness {
  readonly spanExporter = new InMemorySpanExporter();
  readonly spanCounter = new OpenSpanCounter();
  readonly tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: this.spanExporter }), this.spanCounter],
  });
  private readonly reader: PullReader;
  readonly meterProvider: MeterProvider;
  private readonly contextManager = new AsyncLocalStorageContextManager();

  constructor(temporality = AggregationTemporality.CUMULATIVE) {
    this.reader = new PullReader(temporality);
    this.meterProvider = new MeterProvider({ readers: [this.reader] });
    this.contextManager.enable();
    context.setGlobalContextManager(this.contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  spansNamed(name: string): ReadableSpan[] {
    return this.spans().filter((span) => span.name === name);
  }

  async metrics(): Promise<MetricData[]> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, 'metric collection failed');
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  }

  async metric(name: string): Promise<MetricData | undefined> {
    return (await this.metrics()).find((metric) => metric.descriptor.name === name);
  }

  /** Data points of one metric whose attributes include every pair of `where`. */
  async points(name: string, where: Attributes = {}): Promise<Point[]> {
    const metric = await this.metric(name);
    if (!metric) return [];
    const points: Point[] = [];
    for (const dataPoint of metric.dataPoints) {
      const matches = Object.entries(where).every(([k, v]) => dataPoint.attributes[k] === v);
      if (!matches) continue;
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        const value = dataPoint.value as { count: number; sum?: number };
        points.push({ attributes: dataPoint.attributes, value: value.count, sum: value.sum });
      } else {
        points.push({ attributes: dataPoint.attributes, value: dataPoint.value as number });
      }
    }
    return points;
  }

  /** Sum of the values (counts, for histograms) of the matching points. */
  async total(name: string, where: Attributes = {}): Promise<number> {
    return (await this.points(name, where)).reduce((sum, point) => sum + point.value, 0);
  }

  async shutdown() {
    await this.tracerProvider.shutdown();
    await this.meterProvider.shutdown();
    this.contextManager.disable();
    context.disable();
    propagation.disable();
  }
}
