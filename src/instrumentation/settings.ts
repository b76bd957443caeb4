import type { ConsumerHook, KafkaJsInstrumentationConfig, ProducerHook } from './types';

/**
 * The instrumentation's options with their defaults applied, resolved once per `setConfig`
 * rather than at every call: the patches read plain booleans.
 */
export interface InstrumentationSettings {
  readonly producerHook: ProducerHook | undefined;
  readonly consumerHook: ConsumerHook | undefined;
  /** One PRODUCER span per message (default), or one per `send` call. */
  readonly spanPerMessage: boolean;
  /** The producer's context parents the `process` span (default), or is only linked to it. */
  readonly producerContextAsParent: boolean;
  readonly captureMessageKey: boolean;
  readonly legacyAttributes: boolean;
  readonly partitionOnMetrics: boolean;
  readonly batchMessageSpans: boolean;
  readonly requestSpans: boolean;
}

export function resolveSettings(config: KafkaJsInstrumentationConfig): InstrumentationSettings {
  return {
    producerHook: typeof config.producerHook === 'function' ? config.producerHook : undefined,
    consumerHook: typeof config.consumerHook === 'function' ? config.consumerHook : undefined,
    spanPerMessage: config.producerSpanMode !== 'call',
    producerContextAsParent: config.consumerContextRelation !== 'link',
    captureMessageKey: config.captureMessageKey !== false,
    legacyAttributes: config.emitLegacyKafkaAttributes === true,
    partitionOnMetrics: config.metricPartitionAttribute !== false,
    batchMessageSpans: config.batchMessageSpans !== false,
    requestSpans: config.requestSpans === true,
  };
}
