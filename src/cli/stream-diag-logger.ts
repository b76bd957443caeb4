import { DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

const LEVELS: Record<string, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** OTEL_LOG_LEVEL as a DiagLogLevel; warn when unset or unknown (the CLI's default). */
export function diagLevel(text: string | undefined): DiagLogLevel {
  return LEVELS[text?.trim().toLowerCase() ?? ''] ?? DiagLogLevel.WARN;
}

/**
 * A diag logger writing one line per message to a stream (the CLI's injected stderr), so the
 * collector's "cluster unreachable" warning and exporter errors reach the operator.
 */
export function streamDiagLogger(stream: NodeJS.WritableStream, prefix: string): DiagLogger {
  const line =
    (level: string) =>
    (message: string, ...args: unknown[]) => {
      const details = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
      stream.write(`${prefix}: ${level}: ${message}${details ? ` ${details}` : ''}\n`);
    };
  return {
    error: line('error'),
    warn: line('warn'),
    info: line('info'),
    debug: line('debug'),
    verbose: line('verbose'),
  };
}
