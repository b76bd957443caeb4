import type { IncomingMessage } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { ConfluentKafkaInstrumentation } from '../instrumentation/confluent/confluent-instrumentation';
import { KafkaJsInstrumentation } from '../instrumentation/kafkajs/kafkajs-instrumentation';
import type { SdkSettings } from '../config/sdk-settings';

/**
 * The instrumentations `register` enables: HTTP client and server spans (so an HTTP request,
 * the Kafka send it causes and the consumer's processing form one trace), KafkaJS and Confluent's
 * `@confluentinc/kafka-javascript` (whichever the application loads), and Node
 * runtime metrics (event loop delay and utilization, GC duration, V8 heap spaces), the Node
 * counterpart of the Go runtime metrics Kafka's own tooling exposes.
 *
 * `prometheusPort`: scrapes of our own /metrics endpoint get no server span; they would
 * otherwise fill the trace backend with one span per scrape.
 */
export function createInstrumentations(
  settings: Pick<SdkSettings, 'instrumentations' | 'kafkajs' | 'confluent'>,
  prometheusPort?: number,
): Instrumentation[] {
  const enabled = new Set(settings.instrumentations);
  const result: Instrumentation[] = [];
  if (enabled.has('http')) {
    const isScrape = (request: IncomingMessage) =>
      prometheusPort !== undefined && request.socket.localPort === prometheusPort;
    result.push(new HttpInstrumentation({ ignoreIncomingRequestHook: isScrape }));
  }
  if (enabled.has('kafkajs')) result.push(new KafkaJsInstrumentation(settings.kafkajs));
  if (enabled.has('confluent-kafka')) {
    result.push(new ConfluentKafkaInstrumentation(settings.confluent));
  }
  if (enabled.has('runtime-node')) result.push(new RuntimeNodeInstrumentation());
  return result;
}
