/**
 * The versions of the real pipeline components. One place to change them; the cache folder
 * names derive from them, so a new version is built beside the old one, never over it.
 */

/**
 * Collector release line: core v0.156.0 (stable modules v1.62.0) and contrib v0.156.0, the
 * newest line whose every module (the kafkametrics receiver's internal/kafka and configkafka
 * included) downloads through the Go module proxy; 0.157, 0.158 and 0.161 have modules the proxy
 * refuses. collector-builder.yaml must name this version on every component line (checked
 * before each build).
 */
export const COLLECTOR_VERSION = '0.156.0';

/** The Collector Builder (ocb) of the same release line. */
export const BUILDER_MODULE = 'go.opentelemetry.io/collector/cmd/builder';

/**
 * Jaeger v2 release. Jaeger's Go module path has no /v2, so Go cannot use the v2.x tags; each
 * v2 tag is reached through the version Go computes for its commit. v2.13.0 is the newest v2
 * tag the module proxy serves: its commit also carries the tag v1.76.0, which Go prefers to a
 * pseudo-version (the later v2 tags' pseudo-versions, v1.76.1-0.2026...-<commit>, are refused).
 */
export const JAEGER_V2_TAG = 'v2.13.0';
export const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
export const JAEGER_MODULE_VERSION = 'v1.76.0';
export const JAEGER_PACKAGE = `${JAEGER_MODULE}/cmd/jaeger`;

/** Oldest Go that builds both (their go.mod files ask for go 1.24.x). */
export const MIN_GO_VERSION: readonly [number, number] = [1, 24];

/** Debian's package that carries prometheus and promtool. */
export const PROMETHEUS_DEBIAN_PACKAGE = 'prometheus';
