import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli';
import { captureStream } from '../support/capture-stream';

describe('kafka-otel CLI', () => {
  it('prints usage for --help and exits 0', async () => {
    const out = captureStream();
    expect(await main(['--help'], { stdout: out.stream })).toBe(0);
    expect(out.text()).toContain('Usage: kafka-otel <command>');
    expect(out.text()).toContain('collect');
    expect(out.text()).toContain('--require kafka-otel/register');
  });

  it('prints the version', async () => {
    const out = captureStream();
    expect(await main(['version'], { stdout: out.stream })).toBe(0);
    expect(out.text()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('rejects an unknown command with exit code 2 and the usage on stderr', async () => {
    const out = captureStream();
    const err = captureStream();
    expect(await main(['frobnicate'], { stdout: out.stream, stderr: err.stream })).toBe(2);
    expect(err.text()).toContain("unknown command 'frobnicate'");
    expect(out.text()).toBe('');
  });
});
