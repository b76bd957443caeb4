/**
 * A KafkaJS protocol request, at `Connection#send`, the one place every request of a producer,
 * consumer or admin client passes: duration, request and response bytes, timeouts and the Kafka
 * error name per API and broker, an optional CLIENT span; and each connection's socket, counted
 * by the kind of client that owns it.
 */
import { context, SpanKind, type Span } from '@opentelemetry/api';
import type { Producer, Consumer, Admin } from 'kafkajs';
import { splitHostPort } from '../client-identity';
import { failureName } from '../error-type';
import { safely, settle } from '../settle';
import { failSpan } from '../spans';
import { requestAttributes } from '../recorder/metric-attributes';
import { ATTR_MESSAGING_CLIENT_ID } from '../semconv';
import type { ConnectionSendArgs, KafkaConnection } from './kafkajs-internals';
import type { KafkaJsTelemetry } from './kafkajs-telemetry';

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

/** Wraps `Connection.prototype.send`. */
export function connectionSendPatch(telemetry: KafkaJsTelemetry) {
  return (original: Send): Send =>
    function send(this: KafkaConnection, args: ConnectionSendArgs) {
      if (!telemetry.isEnabled() || typeof args?.request !== 'object' || args.request === null) {
        return original.call(this, args);
      }
      const started = performance.now();
      const sizes = { request: -1, response: -1 };
      let span: Span | undefined;
      let observed = args;
      safely(telemetry.diag, 'request', () => {
        observed = measuredArgs(args, this, sizes);
        if (telemetry.settings.requestSpans) span = startRequestSpan(telemetry, this, args);
      });
      const { request } = args;
      return settle(
        telemetry.diag,
        'request',
        () => original.call(this, observed),
        (error, response) => {
          telemetry.recorder.recordRequest({
            apiName: request.apiName,
            apiKey: request.apiKey,
            apiVersion: request.apiVersion,
            serverAddress: this.host,
            serverPort: this.port,
            durationSeconds: (performance.now() - started) / 1000,
            requestBytes: sizes.request >= 0 ? sizes.request : undefined,
            responseBytes: sizes.response >= 0 ? sizes.response : undefined,
            error: failureName(error),
          });
          if (span) {
            if (error !== undefined) failSpan(span, error);
            span.end();
          }
          if (error === undefined && request.apiKey === METADATA_API_KEY) {
            telemetry.clusterIds.learn(`${this.host}:${this.port}`, response);
          }
        },
      );
    };
}

/**
 * Copies of KafkaJS's own per-call request and response objects (never the application's) whose
 * encode and decode also note the sizes, so nothing is encoded twice.
 */
function measuredArgs(
  args: ConnectionSendArgs,
  connection: KafkaConnection,
  sizes: { request: number; response: number },
): ConnectionSendArgs {
  const { request, response } = args;
  const clientId = typeof connection.clientId === 'string' ? connection.clientId : '';
  return {
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
}

/** The request's CLIENT span: the attributes of its duration metric, and the client id. */
function startRequestSpan(
  telemetry: KafkaJsTelemetry,
  connection: KafkaConnection,
  { request }: ConnectionSendArgs,
): Span {
  const attributes = requestAttributes({
    apiName: request.apiName,
    apiKey: request.apiKey,
    apiVersion: request.apiVersion,
    serverAddress: connection.host,
    serverPort: connection.port,
  });
  attributes[ATTR_MESSAGING_CLIENT_ID] = connection.clientId;
  return telemetry.tracer.startSpan(
    request.apiName,
    { kind: SpanKind.CLIENT, attributes },
    context.active(),
  );
}

/**
 * Wraps `Connection.prototype.connect` to count open sockets: +1 once a socket is connected,
 * -1 when that socket closes, however it closes (our disconnect, the broker, a network error),
 * by the kind of client the connection belongs to.
 */
export function connectionConnectPatch(telemetry: KafkaJsTelemetry) {
  const counted = new WeakSet<object>();
  return (original: Connect): Connect =>
    function connect(this: KafkaConnection) {
      const result = original.call(this);
      if (!telemetry.isEnabled()) return result;
      return result.then((value) => {
        safely(telemetry.diag, 'connect', () => countSocket(telemetry, counted, this));
        return value;
      });
    };
}

function countSocket(
  telemetry: KafkaJsTelemetry,
  counted: WeakSet<object>,
  connection: KafkaConnection,
) {
  const socket = connection.socket;
  if (!socket || counted.has(socket)) return;
  counted.add(socket);
  const { kind } = telemetry.clients.of(connection.requestQueue?.instrumentationEmitter);
  const { recorder } = telemetry;
  const { host, port } = connection;
  recorder.recordConnection(1, host, port, kind);
  socket.once('close', () => recorder.recordConnection(-1, host, port, kind));
}

interface QueueSizeEvent {
  payload?: { broker?: unknown; queueSize?: unknown };
}

/** `kafka.client.request.queue.size` from the client's `request_queue_size` events. */
export function listenToRequestQueue(
  telemetry: KafkaJsTelemetry,
  client: Producer | Consumer | Admin,
) {
  const eventName = client.events.REQUEST_QUEUE_SIZE;
  // KafkaJS types `on` as an overload per event; this one has the same payload for all three.
  const on = client.on as unknown as (
    name: string,
    listener: (event: QueueSizeEvent) => void,
  ) => void;
  on(eventName, (event) => {
    if (!telemetry.isEnabled()) return;
    safely(telemetry.diag, eventName, () => {
      const { broker, queueSize } = event.payload ?? {};
      if (typeof broker !== 'string' || typeof queueSize !== 'number') return;
      const { host, port } = splitHostPort(broker);
      telemetry.recorder.recordRequestQueueSize(host, port, queueSize);
    });
  });
}
