export { KafkaJsInstrumentation } from './instrumentation/kafkajs-instrumentation';
export type {
  ConsumerHook,
  ConsumerHookInfo,
  KafkaJsInstrumentationConfig,
  ProducerContextRelation,
  ProducerHook,
  ProducerHookInfo,
  ProducerSpanMode,
} from './instrumentation/types';
