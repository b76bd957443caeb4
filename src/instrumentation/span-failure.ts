import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { errorType } from './error-type';
import { ATTR_ERROR_TYPE } from './semconv';

/** Marks a span failed the way the semantic conventions ask: status, exception event, error.type. */
export function failSpan(span: Span, error: unknown) {
  const type = errorType(error);
  span.setAttribute(ATTR_ERROR_TYPE, type);
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}
