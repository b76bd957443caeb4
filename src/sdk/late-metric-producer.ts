import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CollectionResult, MetricProducer } from '@opentelemetry/sdk-metrics';

/**
 * A metric producer given to the readers before what it forwards to exists: `register` must
 * build its readers before the SDK starts, and its cluster collector only after (see
 * start-sdk.ts). Produces nothing until `attach`.
 */
export class LateMetricProducer implements MetricProducer {
  private target: MetricProducer | undefined;

  attach(target: MetricProducer): void {
    this.target = target;
  }

  collect(): Promise<CollectionResult> {
    if (this.target) return this.target.collect();
    return Promise.resolve({
      resourceMetrics: { resource: resourceFromAttributes({}), scopeMetrics: [] },
      errors: [],
    });
  }
}
