import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * ListGroups (key 16), v4-v5: the groups one broker coordinates, with their state (v4, KIP-518)
 * and type (v5, KIP-848: classic, consumer, share, streams). Send it to every broker.
 */
export const LIST_GROUPS_API: ApiSpec = {
  key: 16,
  name: 'ListGroups',
  minVersion: 4,
  maxVersion: 5,
  firstFlexibleVersion: 3,
};

/** A ListGroups request; empty filters list everything. */
export interface ListGroupsRequest {
  /** Group states to keep, e.g. `Stable`, `Empty` (matched case-insensitively by brokers). */
  readonly statesFilter: readonly string[];
  /** Group types to keep (v5+; ignored by v4), e.g. `classic`, `consumer`. */
  readonly typesFilter: readonly string[];
}

/** One listed group. */
export interface ListedGroup {
  /** Group id. */
  groupId: string;
  /** `consumer`, `connect`, ... or '' (e.g. for KIP-848 consumer groups). */
  protocolType: string;
  /** `Stable`, `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Dead`, `Assigning`, ... */
  state: string;
  /** `classic`, `consumer`, `share` or `streams` (v5+); undefined when the broker speaks v4. */
  type: string | undefined;
}

/** A decoded ListGroups answer. */
export interface ListGroupsResponse {
  /** 0, or e.g. 14 COORDINATOR_LOAD_IN_PROGRESS: the list may then be partial. */
  errorCode: number;
  /** The groups this broker coordinates. */
  groups: ListedGroup[];
}

/** Encodes a ListGroups request body. */
export function encodeListGroupsRequest(request: ListGroupsRequest, version: number): Buffer {
  assertImplementedVersion(LIST_GROUPS_API, version);
  const writer = new WireWriter().compactStringArray(request.statesFilter);
  if (version >= 5) writer.compactStringArray(request.typesFilter);
  return writer.emptyTaggedFields().toBuffer();
}

/** Decodes a ListGroups response body. */
export function decodeListGroupsResponse(body: Buffer, version: number): ListGroupsResponse {
  assertImplementedVersion(LIST_GROUPS_API, version);
  const reader = new WireReader(body, `ListGroups v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const errorCode = reader.int16();
  const count = reader.compactArrayCount(4);
  const groups = new Array<ListedGroup>(count);
  for (let i = 0; i < count; i++) {
    const groupId = reader.compactString();
    const protocolType = reader.compactString();
    const state = reader.compactString();
    const type = version >= 5 ? reader.compactString() : undefined;
    reader.skipTaggedFields();
    groups[i] = { groupId, protocolType, state, type };
  }
  reader.skipTaggedFields();
  reader.end();
  return { errorCode, groups };
}
