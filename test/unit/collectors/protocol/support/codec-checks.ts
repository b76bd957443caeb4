import { expect } from 'vitest';
import { ProtocolDecodeError } from '../../../../../src/collectors/protocol/protocol-decode-error';
import { vector, type VectorName } from '../fixtures/java-vectors';

/** A request frame split into its header v2 fields and the body. */
export interface RequestFrame {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
  body: Buffer;
}

/**
 * Splits a request frame (no size prefix) with header v2: api key, version, correlation id,
 * int16-length client id, then an empty TAG_BUFFER (every Java vector has one).
 */
export function splitRequestFrame(frame: Buffer): RequestFrame {
  const clientIdLength = frame.readInt16BE(8);
  const tagsAt = 10 + clientIdLength;
  expect(frame[tagsAt], 'empty request header TAG_BUFFER').toBe(0);
  return {
    apiKey: frame.readInt16BE(0),
    apiVersion: frame.readInt16BE(2),
    correlationId: frame.readInt32BE(4),
    clientId: frame.toString('utf8', 10, tagsAt),
    body: frame.subarray(tagsAt + 1),
  };
}

/** The body of a Java request vector, once its header is checked to name this API and version. */
export function javaRequestBody(name: VectorName, apiKey: number, apiVersion: number): Buffer {
  const frame = splitRequestFrame(vector(name));
  expect({ apiKey: frame.apiKey, apiVersion: frame.apiVersion }).toEqual({ apiKey, apiVersion });
  return frame.body;
}

/**
 * Every proper prefix of a valid response must fail with a ProtocolDecodeError (never decode to
 * something, never throw anything else), and so must the response with a byte appended.
 */
export function expectStrictFraming(body: Buffer, decode: (bytes: Buffer) => unknown): void {
  for (let length = 0; length < body.length; length++) {
    expect(() => decode(body.subarray(0, length)), `prefix of ${length}/${body.length}`).toThrow(
      ProtocolDecodeError,
    );
  }
  expect(() => decode(Buffer.concat([body, Buffer.from([0])]))).toThrow(/trailing byte/);
}
