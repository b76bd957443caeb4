/**
 * Reading a child's output by whole lines (test/support/line-buffer.ts), and the two process
 * helpers that read events and ports from it: a write that reaches the reader in two chunks is
 * seen once, whole, when its line ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, type TestProcess } from '../../e2e/support/child-process';
import { SpawnedProcess } from '../../integration/register/support/spawned-process';
import { LineBuffer } from '../../support/line-buffer';
import { waitFor } from '../../support/wait-for';

/**
 * Each wait on a child has its own bound (Node's start-up on a loaded machine takes seconds),
 * and the tests that wait on one have room for their waits, past the unit project's 10 s: a
 * slow child then fails the wait it was in, by its description, not the test as a whole.
 */
const CHILD_WAIT_MS = 10_000;
const CHILD_TEST_TIMEOUT_MS = 3 * CHILD_WAIT_MS;

/**
 * A child that writes `first`, then `rest` only when sent SIGUSR2, and ends: the test looks at
 * what it read in between, so the two writes always reach it as separate chunks.
 */
function splitWriter(first: string, rest: string): string[] {
  const script = [
    'const waiting = setInterval(() => {}, 1000);',
    'process.once("SIGUSR2", () => {',
    '  clearInterval(waiting);',
    `  process.stdout.write(${JSON.stringify(rest)});`,
    '});',
    `process.stdout.write(${JSON.stringify(first)});`,
  ].join('\n');
  return ['-e', script];
}

describe('LineBuffer', () => {
  it('hands out a line split across chunks once, whole, when its end arrives', () => {
    const lines = new LineBuffer();
    expect(lines.push('{"event":"listening","po')).toEqual([]);
    expect(lines.push('rt":4')).toEqual([]);
    expect(lines.push('5123}\n{"event":"consumed"}\n{"ev')).toEqual([
      '{"event":"listening","port":45123}',
      '{"event":"consumed"}',
    ]);
    expect(lines.push('ent":"done"}\r\n')).toEqual(['{"event":"done"}']);
  });

  it('keeps empty lines and never hands out an unfinished last line', () => {
    const lines = new LineBuffer();
    expect(lines.push('a\n\nb')).toEqual(['a', '']);
    expect(lines.push('')).toEqual([]);
    expect(lines.push('\n')).toEqual(['b']);
  });
});

describe('process helpers read whole lines', { timeout: CHILD_TEST_TIMEOUT_MS }, () => {
  const started: { kill: () => void }[] = [];
  afterEach(() => started.splice(0).forEach((p) => p.kill()));

  it('SpawnedProcess parses an event written in two chunks once it is whole', async () => {
    const child = new SpawnedProcess(
      splitWriter('{"event":"first"}\n{"event":"split","port":45', '123}\n'),
      {},
    );
    started.push(child);
    // Before the rest arrives, the half line is no event (and parsing it would throw).
    await waitFor(() => child.stdout.includes('"port":45'), {
      description: 'the first chunk',
      timeoutMs: CHILD_WAIT_MS,
    });
    expect(child.events).toEqual([{ event: 'first' }]);
    child.child.kill('SIGUSR2');
    expect(await child.exitWithin(CHILD_WAIT_MS), 'the writer to end').toEqual({
      code: 0,
      signal: null,
    });
    expect(child.events).toEqual([{ event: 'first' }, { event: 'split', port: 45123 }]);
  });

  it('the e2e process helper gives only ended lines, so a port is never read half-written', async () => {
    const child: TestProcess = startProcess(
      'split-writer',
      splitWriter('starting\nlistening 45', '123\n'),
      {},
      process.cwd(),
    );
    started.push({ kill: () => child.child.kill('SIGKILL') });
    await waitFor(() => child.output().includes('listening 45'), {
      description: 'the first chunk',
      timeoutMs: CHILD_WAIT_MS,
    });
    expect(child.stdoutLines()).toEqual(['starting']);
    child.child.kill('SIGUSR2');
    await waitFor(() => child.exited(), {
      description: 'the writer to end',
      timeoutMs: CHILD_WAIT_MS,
    });
    expect(child.stdoutLines()).toEqual(['starting', 'listening 45123']);
  });
});
