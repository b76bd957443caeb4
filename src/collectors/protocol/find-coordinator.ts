import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * FindCoordinator (key 10), v4-v6: the coordinators of many groups in one request (v4 introduced
 * `CoordinatorKeys`; v5 and v6 are the same on the wire). Any broker answers.
 */
export const FIND_COORDINATOR_API: ApiSpec = {
  key: 10,
  name: 'FindCoordinator',
  minVersion: 4,
  maxVersion: 6,
  firstFlexibleVersion: 3,
};

/** Coordinator key type of consumer (and other) groups. */
export const GROUP_KEY_TYPE = 0;

/** A FindCoordinator request. */
export interface FindCoordinatorRequest {
  /** 0 GROUP, 1 TRANSACTION. */
  readonly keyType: number;
  /** Group ids (or transactional ids). */
  readonly keys: readonly string[];
}

/** The coordinator of one key. */
export interface Coordinator {
  /** The group id (or transactional id) asked about. */
  key: string;
  /** Coordinator broker id, -1 on error. */
  nodeId: number;
  /** Coordinator host. */
  host: string;
  /** Coordinator port. */
  port: number;
  /** 0, or e.g. 15 COORDINATOR_NOT_AVAILABLE, 14 COORDINATOR_LOAD_IN_PROGRESS (both retriable). */
  errorCode: number;
  /** The broker's explanation of the error, if any. */
  errorMessage: string | null;
}

/** Encodes a FindCoordinator request body (v4-v6 share one layout). */
export function encodeFindCoordinatorRequest(
  request: FindCoordinatorRequest,
  version: number,
): Buffer {
  assertImplementedVersion(FIND_COORDINATOR_API, version);
  return new WireWriter()
    .int8(request.keyType)
    .compactStringArray(request.keys)
    .emptyTaggedFields()
    .toBuffer();
}

/** Decodes a FindCoordinator response body: one entry per key. */
export function decodeFindCoordinatorResponse(body: Buffer, version: number): Coordinator[] {
  assertImplementedVersion(FIND_COORDINATOR_API, version);
  const reader = new WireReader(body, `FindCoordinator v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const count = reader.compactArrayCount(13);
  const coordinators = new Array<Coordinator>(count);
  for (let i = 0; i < count; i++) {
    const key = reader.compactString();
    const nodeId = reader.int32();
    const host = reader.compactString();
    const port = reader.int32();
    const errorCode = reader.int16();
    const errorMessage = reader.compactNullableString();
    reader.skipTaggedFields();
    coordinators[i] = { key, nodeId, host, port, errorCode, errorMessage };
  }
  reader.skipTaggedFields();
  reader.end();
  return coordinators;
}
