import { Writable } from 'node:stream';

/** A writable stream that keeps what is written to it, for CLI tests that inject stdout/stderr. */
export function captureStream() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}
