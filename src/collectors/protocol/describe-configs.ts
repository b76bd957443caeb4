import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * DescribeConfigs (key 32), v4: effective configuration values of many resources in one request.
 * v4 is the only flexible version and exists on Kafka 3.9 and 4.x. Topic resources can go to any
 * broker; each resource carries its own error.
 */
export const DESCRIBE_CONFIGS_API: ApiSpec = {
  key: 32,
  name: 'DescribeConfigs',
  minVersion: 4,
  maxVersion: 4,
  firstFlexibleVersion: 4,
};

/** `ConfigResource.Type` of a topic. */
export const TOPIC_RESOURCE_TYPE = 2;

/** One resource to describe. */
export interface ConfigResourceRequest {
  /** 2 TOPIC, 4 BROKER, ... */
  readonly type: number;
  /** Topic name, or broker id as a string. */
  readonly name: string;
  /** Config names to return, or null for all. */
  readonly configNames: readonly string[] | null;
}

/** A DescribeConfigs request. */
export interface DescribeConfigsRequest {
  /** Resources to describe. */
  readonly resources: readonly ConfigResourceRequest[];
}

/** One configuration entry of a resource. */
export interface ConfigEntry {
  /** Config name, e.g. `min.insync.replicas`. */
  name: string;
  /** Effective value (set or default); null for sensitive values. */
  value: string | null;
  /** Whether the value is read-only. */
  readOnly: boolean;
  /** Where the value comes from: 1 TOPIC_CONFIG, 4 STATIC_BROKER_CONFIG, 5 DEFAULT_CONFIG, ... */
  source: number;
  /** Whether the value is sensitive (and therefore withheld). */
  isSensitive: boolean;
  /** Value type: 1 BOOLEAN, 2 STRING, 3 INT, 4 SHORT, 5 LONG, ... */
  type: number;
}

/** The configuration of one resource. */
export interface ResourceConfigs {
  /** Resource type, as asked. */
  resourceType: number;
  /** Resource name, as asked. */
  resourceName: string;
  /** 0, or e.g. 3 UNKNOWN_TOPIC_OR_PARTITION, 29 TOPIC_AUTHORIZATION_FAILED. */
  errorCode: number;
  /** The broker's explanation of the error, or null. */
  errorMessage: string | null;
  /** The entries returned. */
  configs: ConfigEntry[];
}

/** Encodes a DescribeConfigs request body (no synonyms, no documentation). */
export function encodeDescribeConfigsRequest(
  request: DescribeConfigsRequest,
  version: number,
): Buffer {
  assertImplementedVersion(DESCRIBE_CONFIGS_API, version);
  const writer = new WireWriter().compactArrayLength(request.resources.length);
  for (const resource of request.resources) {
    writer
      .int8(resource.type)
      .compactString(resource.name)
      .compactStringArray(resource.configNames)
      .emptyTaggedFields();
  }
  return writer
    .bool(false) // IncludeSynonyms
    .bool(false) // IncludeDocumentation
    .emptyTaggedFields()
    .toBuffer();
}

/** Decodes a DescribeConfigs response body: one entry per resource. */
export function decodeDescribeConfigsResponse(body: Buffer, version: number): ResourceConfigs[] {
  assertImplementedVersion(DESCRIBE_CONFIGS_API, version);
  const reader = new WireReader(body, `DescribeConfigs v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const count = reader.compactArrayCount(7);
  const results = new Array<ResourceConfigs>(count);
  for (let i = 0; i < count; i++) {
    const errorCode = reader.int16();
    const errorMessage = reader.compactNullableString();
    const resourceType = reader.int8();
    const resourceName = reader.compactString();
    const configCount = reader.compactArrayCount(9);
    const configs = new Array<ConfigEntry>(configCount);
    for (let c = 0; c < configCount; c++) configs[c] = readConfig(reader);
    reader.skipTaggedFields();
    results[i] = { resourceType, resourceName, errorCode, errorMessage, configs };
  }
  reader.skipTaggedFields();
  reader.end();
  return results;
}

function readConfig(reader: WireReader): ConfigEntry {
  const name = reader.compactString();
  const value = reader.compactNullableString();
  const readOnly = reader.bool();
  const source = reader.int8();
  const isSensitive = reader.bool();
  const synonymCount = reader.compactArrayCount(4);
  for (let s = 0; s < synonymCount; s++) {
    reader.skipCompactBytes(); // Name
    reader.skipCompactBytes(); // Value
    reader.int8(); // Source
    reader.skipTaggedFields();
  }
  const type = reader.int8();
  reader.skipCompactBytes(); // Documentation (not requested)
  reader.skipTaggedFields();
  return { name, value, readOnly, source, isSensitive, type };
}
