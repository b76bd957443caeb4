import { ATTR_BROKER, ATTR_ERROR_TYPE } from '../collector-attributes';
import { metricFamily } from '../export/metric-family';
import { ATTR_KAFKA_API_NAME, ATTR_KAFKA_API_VERSION } from '../../instrumentation/semconv';
import type { BrokerJmxSnapshot } from './broker-jmx-snapshot';

const PER_API = [ATTR_BROKER, ATTR_KAFKA_API_NAME] as const;

/**
 * The broker's request path as it measures it (`kafka.network:type=RequestMetrics` and the
 * thread pools): what clients asked for, how long it took, what failed, how busy it is.
 */
export const brokerRequestMetrics = metricFamily(
  {
    count: {
      name: 'kafka.broker.request.count',
      kind: 'counter',
      unit: '{request}',
      description:
        'Requests the broker has served since it started, per API and API version (RequestsPerSec Count).',
      attributes: [ATTR_BROKER, ATTR_KAFKA_API_NAME, ATTR_KAFKA_API_VERSION],
    },
    totalTimeP50: {
      name: 'kafka.broker.request.total_time.p50',
      unit: 's',
      description:
        "Median time from a request's arrival to its response being sent, per API (TotalTimeMs 50th percentile, over the broker's recent sample).",
      attributes: PER_API,
    },
    totalTimeP99: {
      name: 'kafka.broker.request.total_time.p99',
      unit: 's',
      description:
        "99th percentile of the time from a request's arrival to its response being sent, per API (TotalTimeMs, over the broker's recent sample).",
      attributes: PER_API,
    },
    errors: {
      name: 'kafka.broker.request.errors',
      kind: 'counter',
      unit: '{response}',
      description:
        'Responses with an error code the broker has sent since it started, per API and Kafka error name (ErrorsPerSec Count; NONE is not an error and is left out).',
      attributes: [ATTR_BROKER, ATTR_KAFKA_API_NAME, ATTR_ERROR_TYPE],
    },
    queueSize: {
      name: 'kafka.broker.request.queue.size',
      unit: '{request}',
      description: 'Requests waiting for a request handler thread (RequestQueueSize).',
      attributes: [ATTR_BROKER],
    },
    handlerIdle: {
      name: 'kafka.broker.request_handler.idle_ratio',
      unit: '1',
      description:
        'Fraction of time the request handler threads were idle, 0 to 1 (RequestHandlerAvgIdlePercent, one-minute rate); near 0, the broker is saturated.',
      attributes: [ATTR_BROKER],
    },
    processorIdle: {
      name: 'kafka.broker.network_processor.idle_ratio',
      unit: '1',
      description:
        'Fraction of time the network processor threads were idle, 0 to 1 (NetworkProcessorAvgIdlePercent).',
      attributes: [ATTR_BROKER],
    },
  },
  (snapshot: BrokerJmxSnapshot, emit) => {
    for (const reading of snapshot.endpoints) {
      const { broker } = reading;
      if (broker === undefined) continue;
      for (const { api, version, count } of reading.requests) {
        emit.count(count, {
          [ATTR_BROKER]: broker,
          [ATTR_KAFKA_API_NAME]: api,
          [ATTR_KAFKA_API_VERSION]: version,
        });
      }
      for (const { api, p50Ms, p99Ms } of reading.requestTimes) {
        const attributes = { [ATTR_BROKER]: broker, [ATTR_KAFKA_API_NAME]: api };
        if (p50Ms !== undefined) emit.totalTimeP50(p50Ms / 1000, attributes);
        if (p99Ms !== undefined) emit.totalTimeP99(p99Ms / 1000, attributes);
      }
      for (const { api, error, count } of reading.requestErrors) {
        emit.errors(count, {
          [ATTR_BROKER]: broker,
          [ATTR_KAFKA_API_NAME]: api,
          [ATTR_ERROR_TYPE]: error,
        });
      }
      const attributes = { [ATTR_BROKER]: broker };
      if (reading.requestQueueSize !== undefined)
        emit.queueSize(reading.requestQueueSize, attributes);
      if (reading.requestHandlerIdleRatio !== undefined) {
        emit.handlerIdle(reading.requestHandlerIdleRatio, attributes);
      }
      if (reading.networkProcessorIdleRatio !== undefined) {
        emit.processorIdle(reading.networkProcessorIdleRatio, attributes);
      }
    }
  },
);
