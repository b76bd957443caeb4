/**
 * Where the services' JSON log lines go: a file by default, so they do not fight the progress
 * line for the terminal (`tail -f` it, or `jq` it), or stderr with `--log-file -`. Lines that
 * are not JSON (a warning a library prints on stderr) are wrapped into one, so the file stays
 * one JSON object per line.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LogSink {
  /** Where the lines go, for the terminal. */
  where: string;
  line(service: string, text: string): void;
  /** A line of the demo's own (a command typed at the terminal), outside any span. */
  event(msg: string, fields: Record<string, unknown>): void;
  close(): void;
}

export function openLogSink(target: string): LogSink {
  let write: (text: string) => void;
  let close = () => undefined as void;
  if (target === '-') {
    write = (text) => process.stderr.write(text);
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const fd = fs.openSync(target, 'w');
    write = (text) => fs.writeSync(fd, text);
    close = () => fs.closeSync(fd);
  }
  return {
    where: target === '-' ? 'stderr' : path.resolve(target),
    line(service, text) {
      const json = text.startsWith('{')
        ? text
        : JSON.stringify({ time: new Date().toISOString(), level: 'warn', service, msg: text });
      write(`${json}\n`);
    },
    event(msg, fields) {
      const line = { time: new Date().toISOString(), level: 'info', service: 'live-demo', msg };
      write(`${JSON.stringify({ ...line, ...fields })}\n`);
    },
    close,
  };
}
