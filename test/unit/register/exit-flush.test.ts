import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { flushOnExit, type ExitProcess } from '../../../src/register/exit-flush';
import type { RunningTelemetry } from '../../../src/sdk/start-sdk';

/** A process stand-in: real listener bookkeeping, recorded kill/exit. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const kills: string[] = [];
  const proc = Object.assign(emitter, {
    pid: 4242,
    kill: vi.fn((_pid: number, signal: string) => {
      kills.push(signal);
      return true;
    }),
    exit: vi.fn(),
  }) as unknown as ExitProcess & EventEmitter;
  return { proc, kills };
}

function telemetry(shutdownMs = 0) {
  const calls: string[] = [];
  const t: RunningTelemetry = {
    forceFlush: () => {
      calls.push('flush');
      return Promise.resolve();
    },
    shutdown: () => {
      calls.push('shutdown');
      return new Promise((resolve) => setTimeout(resolve, shutdownMs));
    },
  };
  return { t, calls };
}

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('flushOnExit', () => {
  it('without an app handler: shuts down, then re-raises the signal with no listener left', async () => {
    const { proc, kills } = fakeProcess();
    const { t, calls } = telemetry();
    flushOnExit(t, proc);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(kills).toEqual([]); // not before the flush
    await tick();
    expect(calls).toEqual(['shutdown']);
    expect(kills).toEqual(['SIGTERM']);
    expect(proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT')).toBe(0);
  });

  it('re-raises after the timeout when the flush hangs', async () => {
    const { proc, kills } = fakeProcess();
    flushOnExit(telemetry(10_000).t, proc, 20);
    proc.emit('SIGINT', 'SIGINT');
    await tick(40);
    expect(kills).toEqual(['SIGINT']);
  });

  it('a second signal during the flush ends the process at once', () => {
    const { proc, kills } = fakeProcess();
    flushOnExit(telemetry(10_000).t, proc, 5_000);
    proc.emit('SIGINT', 'SIGINT');
    proc.emit('SIGINT', 'SIGINT');
    expect(kills).toEqual(['SIGINT']);
  });

  it('with an app handler: only flushes and leaves the exit to the app', async () => {
    const { proc, kills } = fakeProcess();
    const { t, calls } = telemetry();
    flushOnExit(t, proc);
    const appHandler = vi.fn();
    proc.on('SIGTERM', appHandler);
    proc.emit('SIGTERM', 'SIGTERM');
    await tick();
    expect(calls).toEqual(['flush']);
    expect(appHandler).toHaveBeenCalledOnce();
    expect(kills).toEqual([]);
    proc.emit('beforeExit', 0);
    proc.emit('beforeExit', 0);
    await tick();
    expect(calls).toEqual(['flush', 'shutdown']);
  });

  it('falls back to exit(128 + signal) when the signal cannot be re-raised', async () => {
    const { proc } = fakeProcess();
    vi.mocked(proc.kill).mockImplementation(() => {
      throw new Error('ENOSYS');
    });
    flushOnExit(telemetry().t, proc);
    proc.emit('SIGTERM', 'SIGTERM');
    await tick();
    expect(proc.exit).toHaveBeenCalledWith(143);
  });
});
