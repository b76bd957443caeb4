/**
 * One Kafka API as this package implements it: the key, Kafka's name for it, the range of request
 * versions our codec can encode and decode, and where the flexible (compact, tagged) encoding
 * starts. The version actually sent is the highest one both we and the broker support.
 */
export interface ApiSpec {
  /** Protocol API key, e.g. 3 for Metadata. */
  readonly key: number;
  /** Kafka's name for the API (the request JSON's name without `Request`), e.g. `Metadata`. */
  readonly name: string;
  /** Lowest version our codec implements. */
  readonly minVersion: number;
  /** Highest version our codec implements. */
  readonly maxVersion: number;
  /** First version that uses the flexible encoding (request header v2, response header v1). */
  readonly firstFlexibleVersion: number;
}

/** A broker's supported range for one API, as its ApiVersions answer lists it. */
export interface BrokerVersionRange {
  /** Lowest version the broker accepts. */
  readonly minVersion: number;
  /** Highest version the broker accepts. */
  readonly maxVersion: number;
}

/** Whether `version` of the API uses the flexible encoding. */
export function isFlexibleVersion(spec: ApiSpec, version: number): boolean {
  return version >= spec.firstFlexibleVersion;
}

/**
 * The highest version both sides support, or undefined when the broker does not list the API
 * or the ranges do not overlap.
 */
export function negotiateVersion(
  spec: ApiSpec,
  broker: BrokerVersionRange | undefined,
): number | undefined {
  if (broker === undefined) return undefined;
  const version = Math.min(spec.maxVersion, broker.maxVersion);
  return version >= Math.max(spec.minVersion, broker.minVersion) ? version : undefined;
}

/** Throws a RangeError when a codec is asked for a version it does not implement (a bug). */
export function assertImplementedVersion(spec: ApiSpec, version: number): void {
  if (!Number.isInteger(version) || version < spec.minVersion || version > spec.maxVersion) {
    throw new RangeError(
      `${spec.name} v${version} is not implemented (v${spec.minVersion}-v${spec.maxVersion})`,
    );
  }
}
