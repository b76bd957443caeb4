import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpSettings } from '../config/sdk-settings';

/**
 * The OTLP span exporter for a protocol. Only the URL is passed: headers, timeout, compression
 * and certificates still come from the OTEL_EXPORTER_OTLP_* variables the exporters read.
 */
export function createOtlpSpanExporter({ protocol, url }: OtlpSettings): SpanExporter {
  if (protocol === 'grpc') return new GrpcTraceExporter({ url });
  if (protocol === 'http/json') return new JsonTraceExporter({ url });
  return new ProtoTraceExporter({ url });
}

/** The OTLP metric exporter for a protocol (cumulative temporality, the SDK default). */
export function createOtlpMetricExporter({ protocol, url }: OtlpSettings): PushMetricExporter {
  if (protocol === 'grpc') return new GrpcMetricExporter({ url });
  if (protocol === 'http/json') return new JsonMetricExporter({ url });
  return new ProtoMetricExporter({ url });
}
