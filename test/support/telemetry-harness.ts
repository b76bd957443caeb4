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
  type CollectionResult,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

/** A reader the test pulls from; cumulative like Prometheus unless asked for delta. */
class PullReader extends MetricReader {
  constructor(temporality: AggregationTemporality, metricProducers: MetricProducer[]) {
    super({ aggregationTemporalitySelector: () => temporality, metricProducers });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Producers added after the reader was built (a cluster collector built with the harness's
 * MeterProvider), handed to the reader as one MetricProducer.
 */
class LateProducers implements MetricProducer {
  readonly list: MetricProducer[] = [];
  async collect(): Promise<CollectionResult> {
    const results = await Promise.all(this.list.map((producer) => producer.collect()));
    return {
      resourceMetrics: {
        resource: resourceFromAttributes({}),
        scopeMetrics: results.flatMap((result) => result.resourceMetrics.scopeMetrics),
      },
      errors: results.flatMap((result) => result.errors),
    };
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
  private readonly lateProducers = new LateProducers();
  readonly meterProvider: MeterProvider;
  private readonly contextManager = new AsyncLocalStorageContextManager();

  /** `metricProducers`: sources besides the SDK's instruments, e.g. a cluster collector. */
  constructor(
    temporality = AggregationTemporality.CUMULATIVE,
    metricProducers: MetricProducer[] = [],
  ) {
    this.reader = new PullReader(temporality, [...metricProducers, this.lateProducers]);
    this.meterProvider = new MeterProvider({ readers: [this.reader] });
    this.contextManager.enable();
    context.setGlobalContextManager(this.contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }

  /** Exports what `producer` produces from now on, as a reader's `metricProducers` would. */
  produceFrom(producer: MetricProducer): void {
    this.lateProducers.list.push(producer);
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
