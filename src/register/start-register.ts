import { startSdkFromEnv } from '../sdk/start-sdk';
import type { Environment } from '../config/env-reader';
import { flushOnExit } from './exit-flush';
import { stderrWarnings } from './stderr-warnings';

/** Marks the process as set up, so a second copy of `register` (another package version, or
 * both `--require` and `--import`) does not start a second SDK. */
const STARTED = Symbol.for('kafka-otel.register.started');

/**
 * What `kafka-otel/register` does when loaded: starts telemetry from the environment and
 * flushes it on exit. Never throws: a broken telemetry setup must not stop the application,
 * so any failure becomes one line on stderr and the application runs uninstrumented.
 */
export function startRegister(env: Environment = process.env): void {
  const global = globalThis as { [STARTED]?: true };
  if (global[STARTED]) return;
  global[STARTED] = true;
  const warn = stderrWarnings();
  try {
    const telemetry = startSdkFromEnv(env, warn);
    if (telemetry) flushOnExit(telemetry);
  } catch (error) {
    warn(`telemetry is off: the OpenTelemetry SDK did not start (${String(error)})`);
  }
}
