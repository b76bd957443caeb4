/**
 * Attribute keys of the JMX collectors' own series, next to the shared ones
 * (`broker`, `state`, `error.type` in collector-attributes.ts, `kafka.api.*` in semconv.ts).
 */

/** A Jolokia endpoint as configured, without credentials: the identity of a health series. */
export const ATTR_ENDPOINT = 'endpoint';
