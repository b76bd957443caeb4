import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, type BuiltBinary } from './build-cache';
import type { BuildOptions } from './collector-build';
import { OtelStackError } from './errors';
import { findGo, goEnv } from './go-toolchain';
import { runLogged } from './run-logged';
import { JAEGER_MODULE, JAEGER_MODULE_VERSION, JAEGER_V2_TAG } from './versions';

const execFileAsync = promisify(execFile);

/** Downloads the Jaeger module (source) into the module cache and returns its folder. */
async function downloadModule(go: string, env: NodeJS.ProcessEnv): Promise<string> {
  const ref = `${JAEGER_MODULE}@${JAEGER_MODULE_VERSION}`;
  try {
    const { stdout } = await execFileAsync(go, ['mod', 'download', '-json', ref], {
      env,
      timeout: 10 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
    if (!dir) throw new Error(`no Dir in the answer: ${stdout}`);
    return dir;
  } catch (error) {
    const { stdout, stderr, message } = error as Error & { stdout?: string; stderr?: string };
    throw new OtelStackError(
      `Could not download ${ref} through the Go module proxy:\n${(stdout || stderr || message).trim()}`,
    );
  }
}

/**
 * Jaeger v2 (`cmd/jaeger`) built into `<cache>/otel-stack/jaeger-<v2 tag>/`.
 * `go install <pkg>@<version>` refuses Jaeger because its go.mod has a replace directive, so the
 * module is built as its own main module, inside its read-only module-cache folder: its go.mod,
 * replace and go.sum apply exactly as in Jaeger's own release build.
 */
export async function ensureJaeger(options: BuildOptions = {}): Promise<BuiltBinary> {
  const env = options.env ?? process.env;
  return ensureBuilt({
    component: 'jaeger',
    version: JAEGER_V2_TAG,
    key: `${JAEGER_MODULE}@${JAEGER_MODULE_VERSION}`,
    binary: 'jaeger',
    env,
    log: options.log,
    build: async (dir) => {
      const { go } = await findGo(env);
      const buildEnv = { ...goEnv(env), GOFLAGS: '-mod=readonly' };
      const logPath = path.join(dir, 'build.log');
      options.log?.(
        `Building Jaeger ${JAEGER_V2_TAG} (module ${JAEGER_MODULE_VERSION}; a cold build takes minutes; log: ${logPath})...`,
      );
      const moduleDir = await downloadModule(go, buildEnv);
      await runLogged(
        go,
        ['build', '-trimpath', '-ldflags=-s -w', '-o', path.join(dir, 'jaeger'), './cmd/jaeger'],
        {
          cwd: moduleDir,
          env: buildEnv,
          logPath,
          signal: options.signal,
          timeoutMs: 40 * 60_000,
          what: 'Jaeger build',
        },
      );
    },
  });
}
