/**
 * The OAUTHBEARER token provider of `--sasl-oauthbearer-provider`: a user's JavaScript module,
 * loaded once at startup, whose function KafkaJS calls for a token on every SASL handshake.
 *
 * Loaded with a synchronous `require`, for the CLI and `register` alike. `register` has to
 * decide synchronously, before the application's first line, whether it starts a collector (and
 * its settings reader is synchronous); the CLI shares the reader's rules so that one module
 * works in both. `require` loads CommonJS on every supported Node.js, and ES modules from
 * Node.js 20.19 and 22.12 on (20.17+ with --experimental-require-module); on an older Node.js,
 * or for an ES module with top-level await, the error says so and what to give instead.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { OauthbearerProviderResponse } from 'kafkajs';
import { InvalidValue } from './value-parsers';

/** What KafkaJS calls for a token (its `sasl.oauthBearerProvider`). */
export type OauthBearerProvider = () => Promise<OauthbearerProviderResponse>;

/**
 * Loads the provider module at `file` (relative paths from `cwd`) and returns its function (the
 * cluster client makes a failing provider an authentication failure). `label` names
 * the setting in messages. Throws {@link InvalidValue} when the module is missing, fails to
 * load, or exports no function as default or as `oauthBearerProvider`.
 */
export function loadOauthBearerProvider(
  file: string,
  label: string,
  cwd: string = process.cwd(),
): OauthBearerProvider {
  const absolute = resolve(cwd, file);
  const load = createRequire(absolute);
  let resolved: string;
  try {
    resolved = load.resolve(absolute);
  } catch {
    throw new InvalidValue(`cannot load ${label} '${file}': no such module (${absolute})`);
  }
  let exported: unknown;
  try {
    exported = load(resolved);
  } catch (error) {
    throw new InvalidValue(`cannot load ${label} '${file}': ${loadProblem(error)}`);
  }
  const provider = providerOf(exported);
  if (provider === undefined) {
    throw new InvalidValue(
      `${label} '${file}' exports no function as default or as oauthBearerProvider`,
    );
  }
  return async () => (await provider()) as OauthbearerProviderResponse;
}

/** Why `require` failed, in one line: a module's own error keeps its first line only. */
function loadProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ERR_REQUIRE_ESM':
      return (
        `it is an ES module, which Node.js ${process.version} cannot load at startup ` +
        '(Node.js 20.19+ and 22.12+ can); give a CommonJS module (.cjs) instead'
      );
    case 'ERR_REQUIRE_ASYNC_MODULE':
      return 'it uses top-level await, which a module loaded at startup cannot; await inside the exported function instead';
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!;
}

/**
 * The exported function: the `oauthBearerProvider` export, else the default one (an ES module's
 * `export default`, CommonJS's `module.exports = fn`, or a compiled module's `exports.default`).
 */
function providerOf(exported: unknown): ((...args: never[]) => unknown) | undefined {
  const candidates: unknown[] = [];
  if (typeof exported === 'object' && exported !== null) {
    const { oauthBearerProvider, default: byDefault } = exported as Record<string, unknown>;
    candidates.push(oauthBearerProvider, byDefault);
  }
  candidates.push(exported);
  return candidates.find((c): c is (...args: never[]) => unknown => typeof c === 'function');
}
