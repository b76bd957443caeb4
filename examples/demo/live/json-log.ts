/**
 * The services' logs: one JSON object per line on stdout, as a containerized service would
 * write them, each carrying the `trace_id` and `span_id` of the span active where it was
 * logged, so a log line leads to its trace in Jaeger and back.
 */
import { trace } from '@opentelemetry/api';
import type { logCreator } from 'kafkajs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/** A logger for one service; the trace context is read at each call, not at creation. */
export function jsonLog(service: string): Log {
  return (level, msg, fields = {}) => {
    const context = trace.getActiveSpan()?.spanContext();
    const line = {
      time: new Date().toISOString(),
      level,
      service,
      msg,
      ...fields,
      ...(context ? { trace_id: context.traceId, span_id: context.spanId } : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
}

/**
 * KafkaJS's `logLevel` numbers, written out: importing the enum would load kafkajs as a side
 * effect of loading this file, and kafkajs must load only after the instrumentation is on.
 */
const LEVELS: Record<number, LogLevel> = { 1: 'error', 2: 'warn', 4: 'info', 5: 'debug' };

/**
 * KafkaJS's own lines (crashes, restarts, retries) in the same JSON shape, so a consumer crash
 * shows in the log next to the payment that caused it.
 */
export function kafkaJsLogCreator(log: Log): logCreator {
  return () =>
    ({ level, label, log: entry }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
      log(LEVELS[level] ?? 'info', `kafkajs ${label}: ${message}`, { kafkajs: fields });
    };
}
