import type { DiagLogger, Tracer } from '@opentelemetry/api';
import type { Recorder } from './recorder/recorder';
import type { InstrumentationSettings } from './settings';

/**
 * What the patches of a Kafka client library need from the instrumentation: a live view, so a
 * new TracerProvider, MeterProvider or config applies to clients created before it.
 */
export interface Telemetry {
  readonly tracer: Tracer;
  readonly recorder: Recorder;
  readonly settings: InstrumentationSettings;
  readonly diag: DiagLogger;
  isEnabled(): boolean;
}
