import {
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type MeterProvider,
  type TracerProvider,
} from '@opentelemetry/api';
import { apiName } from '../kafka-names/api-names';
import { errorName } from '../kafka-names/error-names';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { errorType } from './error-type';
import { BoundedCache } from './recorder/bounded-cache';
import { when, type InstrumentDefinition } from './recorder/client-instruments';
import {
  ATTR_ERROR_TYPE,
  ATTR_KAFKA_API_KEY,
  ATTR_KAFKA_API_NAME,
  ATTR_KAFKA_API_VERSION,
  ATTR_KAFKA_CORRELATION_ID,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_SYSTEM,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  MESSAGING_SYSTEM_KAFKA,
  METRIC_KAFKA_SERVER_CONNECTIONS,
  METRIC_KAFKA_SERVER_REQUEST_DURATION,
  METRIC_KAFKA_SERVER_REQUEST_SIZE,
  METRIC_KAFKA_SERVER_RESPONSE_SIZE,
} from './semconv';

const SIZE_BUCKETS = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
/** The server attributes: set when the handler was told its own address and port. */
const SERVER_ATTRIBUTES = [
  ATTR_MESSAGING_SYSTEM,
  when(ATTR_SERVER_ADDRESS, 'configured'),
  when(ATTR_SERVER_PORT, 'configured'),
];
const API_ATTRIBUTES = [
  ...SERVER_ATTRIBUTES,
  ATTR_KAFKA_API_NAME,
  ATTR_KAFKA_API_KEY,
  ATTR_KAFKA_API_VERSION,
];

/** The instruments of `instrumentBrokerHandler`, declared as the client's are. */
export const BROKER_HANDLER_INSTRUMENTS = {
  requestDuration: {
    name: METRIC_KAFKA_SERVER_REQUEST_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Time the server took to answer a Kafka protocol request.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    attributes: [
      ...API_ATTRIBUTES,
      when(ATTR_ERROR_TYPE, 'the answer has an error code or the handler threw'),
    ],
  },
  requestSize: {
    name: METRIC_KAFKA_SERVER_REQUEST_SIZE,
    kind: 'histogram',
    unit: 'By',
    description: 'Size of the Kafka protocol requests the server received.',
    buckets: SIZE_BUCKETS,
    attributes: API_ATTRIBUTES,
  },
  responseSize: {
    name: METRIC_KAFKA_SERVER_RESPONSE_SIZE,
    kind: 'histogram',
    unit: 'By',
    description: 'Size of the Kafka protocol responses the server sent.',
    buckets: SIZE_BUCKETS,
    attributes: API_ATTRIBUTES,
  },
  connections: {
    name: METRIC_KAFKA_SERVER_CONNECTIONS,
    kind: 'upDownCounter',
    unit: '{connection}',
    description: 'Client connections open to the server.',
    attributes: SERVER_ATTRIBUTES,
  },
} as const satisfies Record<string, InstrumentDefinition>;

/** The request header fields every Kafka protocol request carries, plus what the server knows. */
export interface KafkaRequestInfo {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Size of the request frame in bytes, when the server knows it. */
  size?: number;
  /** The client's address and port, when the server knows them. */
  remoteAddress?: string;
  remotePort?: number;
}

/** What the wrapper learns from a handler's response. */
export interface ResponseDescription {
  /** Bytes of the response frame. */
  size?: number;
  /** The response's top-level (or first) Kafka error code; 0 or absent means success. */
  errorCode?: number;
}

export interface BrokerHandlerOptions<Response> {
  meterProvider?: MeterProvider;
  tracerProvider?: TracerProvider;
  /** This server's address and port, reported as server.address / server.port. */
  serverAddress?: string;
  serverPort?: number;
  /**
   * Reads size and error code off a response. By default a Buffer gives its length, and an
   * object gives its numeric `size` and `errorCode` fields.
   */
  describeResponse?: (response: Response) => ResponseDescription | undefined;
  /** A SERVER span per request (default true). */
  spans?: boolean;
}

/** The wrapped handler: same call signature, plus connection tracking. */
export interface InstrumentedBrokerHandler<Request extends KafkaRequestInfo, Response> {
  (request: Request): Promise<Response>;
  /** Counts a client connection in kafka.server.connections until the socket closes. */
  trackConnection(socket: NodeJS.EventEmitter): void;
}

/**
 * Instruments the request handler of a Kafka-protocol server written in Node (a broker, a
 * proxy, a test double): per-API request count and duration, request and response bytes, the
 * Kafka error name of each answer, open connections, and a SERVER span per request.
 *
 * The handler's result and errors pass through unchanged; a failure inside the telemetry is
 * swallowed. A handler that throws is recorded with the thrown error's type.
 */
export function instrumentBrokerHandler<Request extends KafkaRequestInfo, Response>(
  handler: (request: Request) => Response | Promise<Response>,
  options: BrokerHandlerOptions<Response> = {},
): InstrumentedBrokerHandler<Request, Response> {
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
    PACKAGE_NAME,
    PACKAGE_VERSION,
  );
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
    PACKAGE_NAME,
    PACKAGE_VERSION,
  );
  const histogram = ({ name, unit, description, buckets }: InstrumentDefinition) =>
    meter.createHistogram(name, {
      unit,
      description,
      ...(buckets && { advice: { explicitBucketBoundaries: [...buckets] } }),
    });
  const duration = histogram(BROKER_HANDLER_INSTRUMENTS.requestDuration);
  const requestSize = histogram(BROKER_HANDLER_INSTRUMENTS.requestSize);
  const responseSize = histogram(BROKER_HANDLER_INSTRUMENTS.responseSize);
  const { name, unit, description } = BROKER_HANDLER_INSTRUMENTS.connections;
  const connections = meter.createUpDownCounter(name, { unit, description });
  const describe = options.describeResponse ?? defaultDescription;
  const withSpans = options.spans !== false;
  const cache = new BoundedCache<Attributes>();
  const server: Attributes = { [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA };
  if (options.serverAddress !== undefined) server[ATTR_SERVER_ADDRESS] = options.serverAddress;
  if (options.serverPort !== undefined) server[ATTR_SERVER_PORT] = options.serverPort;

  const apiAttributes = (request: Request, failure?: string): Attributes =>
    cache.get(`${request.apiKey}\u0000${request.apiVersion}\u0000${failure}`, () => {
      const attributes: Attributes = {
        ...server,
        [ATTR_KAFKA_API_NAME]: apiName(request.apiKey),
        [ATTR_KAFKA_API_KEY]: request.apiKey,
        [ATTR_KAFKA_API_VERSION]: request.apiVersion,
      };
      if (failure !== undefined) attributes[ATTR_ERROR_TYPE] = failure;
      return attributes;
    });

  const instrumented = async function instrumentedBrokerHandler(request: Request) {
    const started = performance.now();
    const span = withSpans ? startServerSpan(tracer, request, server) : undefined;
    let response: Response;
    try {
      response = await handler(request);
    } catch (error) {
      try {
        const failure = errorType(error);
        duration.record((performance.now() - started) / 1000, apiAttributes(request, failure));
        if (span) {
          span.setAttribute(ATTR_ERROR_TYPE, failure);
          if (error instanceof Error) span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      } catch {
        // Telemetry must not replace the handler's error.
      }
      throw error;
    }
    try {
      const description = describe(response) ?? {};
      const code = description.errorCode;
      const failure = code !== undefined && code !== 0 ? errorName(code) : undefined;
      const attributes = apiAttributes(request, failure);
      duration.record((performance.now() - started) / 1000, attributes);
      const sizes = apiAttributes(request);
      if (isSize(request.size)) requestSize.record(request.size, sizes);
      if (isSize(description.size)) responseSize.record(description.size, sizes);
      if (span) {
        if (failure !== undefined) {
          span.setAttribute(ATTR_ERROR_TYPE, failure);
          span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
        }
        span.end();
      }
    } catch {
      // A response the description function cannot read is still returned untouched.
      span?.end();
    }
    return response;
  } as InstrumentedBrokerHandler<Request, Response>;

  instrumented.trackConnection = (socket) => {
    connections.add(1, server);
    socket.once('close', () => connections.add(-1, server));
  };
  return instrumented;
}

function startServerSpan(
  tracer: ReturnType<TracerProvider['getTracer']>,
  request: KafkaRequestInfo,
  server: Attributes,
) {
  const attributes: Attributes = {
    ...server,
    [ATTR_KAFKA_API_NAME]: apiName(request.apiKey),
    [ATTR_KAFKA_API_KEY]: request.apiKey,
    [ATTR_KAFKA_API_VERSION]: request.apiVersion,
    [ATTR_KAFKA_CORRELATION_ID]: request.correlationId,
  };
  if (request.clientId) attributes[ATTR_MESSAGING_CLIENT_ID] = request.clientId;
  if (request.remoteAddress) attributes[ATTR_NETWORK_PEER_ADDRESS] = request.remoteAddress;
  if (request.remotePort !== undefined) attributes[ATTR_NETWORK_PEER_PORT] = request.remotePort;
  // The Kafka protocol carries no trace context, so each request starts its own trace.
  return tracer.startSpan(apiName(request.apiKey), {
    kind: SpanKind.SERVER,
    attributes,
    root: true,
  });
}

function defaultDescription(response: unknown): ResponseDescription | undefined {
  if (Buffer.isBuffer(response)) return { size: response.length };
  if (typeof response !== 'object' || response === null) return undefined;
  const { size, errorCode } = response as { size?: unknown; errorCode?: unknown };
  return {
    size: typeof size === 'number' ? size : undefined,
    errorCode: typeof errorCode === 'number' ? errorCode : undefined,
  };
}

function isSize(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
