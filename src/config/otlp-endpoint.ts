import type { EnvReader } from './env-reader';
import { parseChoice, parseHttpUrl } from './value-parsers';

/** How OTLP is sent: the three protocols of the OpenTelemetry spec. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** The OTLP protocols, default first. */
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/** A signal exported over OTLP, with its HTTP path. */
export type OtlpSignal = 'traces' | 'metrics';

const DEFAULT_HTTP = 'http://localhost:4318';
const DEFAULT_GRPC = 'http://localhost:4317';

/** Joins a base endpoint and `v1/<signal>` as the spec says: exactly one slash between them. */
export function signalUrl(base: string, signal: OtlpSignal): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/**
 * The protocol of one signal: `OTEL_EXPORTER_OTLP_<SIGNAL>_PROTOCOL`, else
 * `OTEL_EXPORTER_OTLP_PROTOCOL`, else http/protobuf. An invalid per-signal value falls back to
 * the general one.
 */
export function otlpProtocol(reader: EnvReader, signal: OtlpSignal): OtlpProtocol {
  const parse = (text: string) => parseChoice(text, OTLP_PROTOCOLS);
  const general = reader.parsed('OTEL_EXPORTER_OTLP_PROTOCOL', parse, OTLP_PROTOCOLS[0]!);
  return reader.parsed(`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`, parse, general);
}

/**
 * The URL an OTLP exporter of `signal` sends to, resolved as the spec says (per-signal endpoint
 * as given; the general endpoint with `/v1/<signal>` appended for HTTP; the default otherwise).
 * The exporters would read the same variables, but they take a URL that is not http(s) (e.g.
 * `localhost:4318`) at face value and then fail on every export; here such a value gets one
 * warning and the next candidate is used, so a typo cannot silently cost all telemetry.
 */
export function otlpEndpoint(reader: EnvReader, signal: OtlpSignal, protocol: OtlpProtocol) {
  const grpc = protocol === 'grpc';
  const specific = reader.parsed(
    `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`,
    (text) => parseHttpUrl(text).href,
    undefined,
    'using OTEL_EXPORTER_OTLP_ENDPOINT or the default',
  );
  if (specific !== undefined) return specific;
  const fallback = grpc ? DEFAULT_GRPC : signalUrl(DEFAULT_HTTP, signal);
  const general = reader.parsed(
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    (text) => parseHttpUrl(text).href,
    undefined,
    `using ${fallback}`,
  );
  if (general === undefined) return fallback;
  return grpc ? general : signalUrl(general, signal);
}
