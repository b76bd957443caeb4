import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('kafka-otel CLI', () => {
  it('prints usage for --help and exits 0', () => {
    const out = capture();
    expect(main(['--help'], out.stream)).toBe(0);
    expect(out.text()).toContain('Usage: kafka-otel <command>');
    expect(out.text()).toContain('--require kafka-otel/register');
  });

  it('rejects an unknown command with exit code 2 and the usage on stderr', () => {
    const out = capture();
    const err = capture();
    expect(main(['frobnicate'], out.stream, err.stream)).toBe(2);
    expect(err.text()).toContain("unknown command 'frobnicate'");
    expect(out.text()).toBe('');
  });
});
