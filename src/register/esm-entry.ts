/**
 * `node --import kafka-otel/register app.mjs` loads this (through dist/esm/register.mjs): the
 * ESM loader hook first, then the same setup as `--require`.
 */
import { startRegister } from './start-register';
import { stderrWarnings } from './stderr-warnings';
import { registerEsmLoaderHook } from './esm-loader-hook';

try {
  registerEsmLoaderHook();
} catch (error) {
  // Without the hook, CommonJS modules are still instrumented; say what is missing.
  stderrWarnings()(`ES modules are not instrumented: the loader hook failed (${String(error)})`);
}
startRegister();
