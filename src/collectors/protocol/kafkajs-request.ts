import { isFlexibleVersion, type ApiSpec } from './api-spec';
import type { KafkaJsEncoder, KafkaJsProtocolRequest } from './kafkajs-internals';
import { WireReader } from './wire-reader';

/** One request to send: which API, and how to encode and decode it at the negotiated version. */
export interface ApiCall<T> {
  /** The API and the versions our codec implements. */
  readonly spec: ApiSpec;
  /** Encodes the request body (without header) at `version`. */
  encode(version: number): Buffer;
  /** Decodes the response body (after the response header) at `version`. */
  decode(body: Buffer, version: number): T;
}

/** The empty request header TAG_BUFFER that turns KafkaJS's header v1 into header v2. */
const EMPTY_TAG_BUFFER = Buffer.from([0]);

/**
 * Wraps one of our codecs as the `{ request, response }` pair KafkaJS's `Connection.send` takes.
 *
 * KafkaJS 2.x always writes request header v1 (`api_key, api_version, correlation_id,
 * client_id`) and appends what `encode()` returns; for a flexible version we begin with an empty
 * TAG_BUFFER, which makes it header v2 (the client id keeps its int16 length in v2). On the way
 * back KafkaJS strips the size and correlation id; a flexible response then still starts with
 * the response header's TAG_BUFFER, which we skip before the body. ApiVersions, the one API
 * whose response header stays v0, is never sent through here (KafkaJS does it on connect).
 */
export function toKafkaJsRequest<T>(
  call: ApiCall<T>,
  version: number,
  encoderOf: (bytes: Buffer) => KafkaJsEncoder,
): KafkaJsProtocolRequest<T> {
  const { spec } = call;
  const flexible = isFlexibleVersion(spec, version);
  const body = call.encode(version);
  const payload = flexible ? Buffer.concat([EMPTY_TAG_BUFFER, body]) : body;
  return {
    request: {
      apiKey: spec.key,
      apiVersion: version,
      apiName: spec.name,
      encode: () => Promise.resolve(encoderOf(payload)),
    },
    response: {
      // A decode error rejects this request only (the executor turns a throw into a rejection);
      // the connection stays usable.
      decode: (response) =>
        new Promise<T>((resolve) =>
          resolve(call.decode(responseBody(spec, version, flexible, response), version)),
        ),
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}

function responseBody(spec: ApiSpec, version: number, flexible: boolean, payload: Buffer): Buffer {
  if (!flexible) return payload;
  const header = new WireReader(payload, `${spec.name} v${version} response header`);
  header.skipTaggedFields();
  return payload.subarray(header.offset);
}
