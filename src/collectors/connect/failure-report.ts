import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../version';
import { ATTR_CONNECTOR, ATTR_TASK, ATTR_WORKER } from './connect-attributes';
import type { NewFailure } from './restart-tracker';

/** The most of a trace a warning line carries: its first line and the root cause. */
const MAX_LINE_CHARS = 500;

/**
 * The warning line for a connector or task that just failed: what failed where, then the
 * trace's first line (the exception and its message) and its last `Caused by:` (the root
 * cause), on one line. The whole trace is in the span event.
 */
export function failureLine(failure: NewFailure): string {
  const what =
    failure.task === undefined
      ? `connector ${failure.connector}`
      : `task ${failure.connector}/${failure.task}`;
  const summary = traceSummary(failure.trace);
  return `Kafka Connect ${what} on worker ${failure.workerId} is FAILED${summary ? `: ${summary}` : ''}`;
}

function traceSummary(text: string | undefined): string {
  if (!text) return '';
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const first = lines[0] ?? '';
  const cause = lines.filter((line) => line.startsWith('Caused by:')).at(-1);
  const summary = cause ? `${first} ... ${cause}` : first;
  return summary.length > MAX_LINE_CHARS ? `${summary.slice(0, MAX_LINE_CHARS)}…` : summary;
}

/**
 * A short INTERNAL span per failure (`kafka.connect.task.failed`, or `.connector.failed`) with
 * an `exception` event carrying the whole trace and status ERROR: where a trace backend shows
 * it next to the application's own spans, never as a metric attribute.
 */
export function recordFailureSpan(failure: NewFailure): void {
  const tracer = trace.getTracer(PACKAGE_NAME, PACKAGE_VERSION);
  const isTask = failure.task !== undefined;
  const span = tracer.startSpan(
    isTask ? 'kafka.connect.task.failed' : 'kafka.connect.connector.failed',
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [ATTR_CONNECTOR]: failure.connector,
        ...(isTask ? { [ATTR_TASK]: failure.task } : {}),
        [ATTR_WORKER]: failure.workerId,
      },
    },
  );
  const firstLine = failure.trace?.split(/\r?\n/, 1)[0] ?? '';
  const separator = firstLine.indexOf(': ');
  span.addEvent('exception', {
    'exception.type': separator > 0 ? firstLine.slice(0, separator) : firstLine || 'unknown',
    'exception.message': separator > 0 ? firstLine.slice(separator + 2) : 'FAILED',
    ...(failure.trace ? { 'exception.stacktrace': failure.trace } : {}),
  });
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: `${isTask ? 'task' : 'connector'} FAILED`,
  });
  span.end();
}
