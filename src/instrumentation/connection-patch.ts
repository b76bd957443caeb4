import { context, SpanKind, type Span } from '@opentelemetry/api';
import { errorType } from './error-type';
import type { ConnectionSendArgs, KafkaConnection, Telemetry } from './internal-types';
import { AttributeCache } from './message-attributes';
import { failSpan } from './span-failure';
import { brokerAttributes, requestAttributes, requestSizeAttributes } from './metric-attributes';
import { safely } from './patch-support';
import {
  ATTR_KAFKA_API_KEY,
  ATTR_KAFKA_API_NAME,
  ATTR_KAFKA_API_VERSION,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  MESSAGING_SYSTEM_KAFKA,
} from './semconv';

/**
 * Request header v1 as KafkaJS writes it (src/protocol/request.js): size prefix (4), api key (2),
 * api version (2), correlation id (4) and the client id string's length (2), before its bytes.
 */
const REQUEST_HEADER_BYTES = 14;
/** Response size prefix (4) and correlation id (4), which KafkaJS strips before decoding. */
const RESPONSE_HEADER_BYTES = 8;

/** Metadata answers (v2+) carry the cluster id that spans report as kafka.cluster.id. */
const METADATA_API_KEY = 3;

type Send = KafkaConnection['send'];
type Connect = KafkaConnection['connect'];

/**
 * Wraps `Connection.prototype.send`, the one place every KafkaJS protocol request passes
 * (producer, consumer and admin alike): duration, request and response bytes, timeouts and the
 * Kafka error name per API and broker, plus an optional CLIENT span per request.
 */
export function connectionSendPatch(telemetry: Telemetry) {
  const cache = new AttributeCache();
  return (original: Send): Send =>
    function send(this: KafkaConnection, args: ConnectionSendArgs) {
      if (!telemetry.isEnabled() || typeof args?.request !== 'object' || args.request === null) {
        return original.call(this, args);
      }
      const started = performance.now();
      const { request, response } = args;
      const sizes = { request: -1, response: -1 };
      let span: Span | undefined;
      let observed: ConnectionSendArgs = args;
      safely(telemetry, 'request', () => {
        const clientId = typeof this.clientId === 'string' ? this.clientId : '';
        // Copies of KafkaJS's own per-call request/response objects (never the app's): the
        // encode/decode wrappers read the sizes without encoding anything twice.
        observed = {
          ...args,
          request: {
            ...request,
            encode: async () => {
              const encoded = await request.encode();
              sizes.request = REQUEST_HEADER_BYTES + Buffer.byteLength(clientId) + encoded.size();
              return encoded;
            },
          },
          response: {
            ...response,
            decode: (payload: Buffer) => {
              sizes.response = payload.length + RESPONSE_HEADER_BYTES;
              return response.decode(payload);
            },
          },
        };
        if (telemetry.config.requestSpans) span = startRequestSpan(telemetry, this, args);
      });
      const finish = (error: unknown) =>
        safely(telemetry, 'request', () =>
          recordRequest(telemetry, cache, this, args, sizes, started, span, error),
        );
      return original.call(this, observed).then(
        (value) => {
          finish(undefined);
          if (args.request.apiKey === METADATA_API_KEY) {
            safely(telemetry, 'metadata', () =>
              telemetry.clusterIds.learn(`${this.host}:${this.port}`, value),
            );
          }
          return value;
        },
        (error: unknown) => {
          finish(error ?? new Error('request rejected'));
          throw error;
        },
      );
    };
}

function recordRequest(
  telemetry: Telemetry,
  cache: AttributeCache,
  connection: KafkaConnection,
  { request }: ConnectionSendArgs,
  sizes: { request: number; response: number },
  started: number,
  span: Span | undefined,
  error: unknown,
) {
  const { instruments } = telemetry;
  const failure = error === undefined ? undefined : errorType(error);
  const broker = `${connection.host}:${connection.port}`;
  const key = `${broker}\u0000${request.apiKey}\u0000${request.apiVersion}\u0000${failure}`;
  const fields = {
    apiName: request.apiName,
    apiKey: request.apiKey,
    apiVersion: request.apiVersion,
    serverAddress: connection.host,
    serverPort: connection.port,
    errorType: failure,
  };
  const attributes = cache.get(key, () => requestAttributes(fields));
  const sizeAttributes = cache.get(`${broker}\u0000${request.apiKey}`, () =>
    requestSizeAttributes(fields),
  );
  instruments.requestDuration.record((performance.now() - started) / 1000, attributes);
  if (sizes.request >= 0) instruments.requestSize.record(sizes.request, sizeAttributes);
  if (sizes.response >= 0) instruments.responseSize.record(sizes.response, sizeAttributes);
  if (failure === 'timeout') instruments.requestTimeouts.add(1, sizeAttributes);
  if (span) {
    if (error !== undefined) failSpan(span, error);
    span.end();
  }
}

function startRequestSpan(
  telemetry: Telemetry,
  connection: KafkaConnection,
  { request }: ConnectionSendArgs,
): Span {
  return telemetry.tracer.startSpan(
    request.apiName,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
        [ATTR_KAFKA_API_NAME]: request.apiName,
        [ATTR_KAFKA_API_KEY]: request.apiKey,
        [ATTR_KAFKA_API_VERSION]: request.apiVersion,
        [ATTR_MESSAGING_CLIENT_ID]: connection.clientId,
        [ATTR_SERVER_ADDRESS]: connection.host,
        [ATTR_SERVER_PORT]: connection.port,
      },
    },
    context.active(),
  );
}

/**
 * Wraps `Connection.prototype.connect` to count open sockets: +1 once a socket is connected,
 * -1 when that socket closes, however it closes (our disconnect, the broker, a network error).
 */
export function connectionConnectPatch(telemetry: Telemetry) {
  const counted = new WeakSet<object>();
  return (original: Connect): Connect =>
    function connect(this: KafkaConnection) {
      const result = original.call(this);
      if (!telemetry.isEnabled()) return result;
      return result.then((value) => {
        safely(telemetry, 'connect', () => trackSocket(telemetry, counted, this));
        return value;
      });
    };
}

function trackSocket(telemetry: Telemetry, counted: WeakSet<object>, connection: KafkaConnection) {
  const socket = connection.socket;
  if (!socket || counted.has(socket)) return;
  counted.add(socket);
  const attributes = brokerAttributes(connection.host, connection.port, clientKind(connection));
  telemetry.instruments.connections.add(1, attributes);
  socket.once('close', () => telemetry.instruments.connections.add(-1, attributes));
}

/**
 * Which client owns a connection. KafkaJS gives connections no such field, but each client has
 * its own instrumentation emitter, shared with its connections, and this package listens on it
 * for the client's own `<kind>.connect` event (network events are not prefixed by kind).
 */
function clientKind(connection: KafkaConnection): string | undefined {
  const emitter = connection.requestQueue?.instrumentationEmitter?.emitter;
  for (const name of emitter?.eventNames() ?? []) {
    if (typeof name !== 'string') continue;
    const kind = name.slice(0, name.indexOf('.'));
    if (kind === 'producer' || kind === 'consumer' || kind === 'admin') return kind;
  }
  return undefined;
}
