import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, type BuiltBinary } from './build-cache';
import { OtelStackError } from './errors';
import { findGo, goEnv } from './go-toolchain';
import { BUILDER_MANIFEST } from './paths';
import { runLogged } from './run-logged';
import { BUILDER_MODULE, COLLECTOR_VERSION } from './versions';

const execFileAsync = promisify(execFile);

/** Binary name (`dist.name`) and folder (`dist.output_path`) set in collector-builder.yaml. */
const COLLECTOR_BINARY = path.join('src', 'otelcol-kafka-otel');

export interface BuildOptions {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Every `gomod:` line of the manifest must be of the release line in versions.ts: core and
 * contrib components at v<COLLECTOR_VERSION>, the stable confmap providers all at one v1.x.
 * A half-edited manifest is caught here, before minutes of compiling.
 */
export function manifestProblems(manifest: string, version = COLLECTOR_VERSION): string[] {
  const problems: string[] = [];
  const stable = new Set<string>();
  for (const [, module, moduleVersion] of manifest.matchAll(/gomod:\s*(\S+)\s+(\S+)/g)) {
    if (!module || !moduleVersion) continue;
    if (moduleVersion.startsWith('v1.')) stable.add(moduleVersion);
    else if (moduleVersion !== `v${version}`) {
      problems.push(`${module} is at ${moduleVersion}, not v${version}`);
    }
  }
  if (stable.size > 1) problems.push(`stable modules mix versions ${[...stable].join(', ')}`);
  if (!manifest.includes(`version: ${version}`)) problems.push(`dist.version is not ${version}`);
  return problems;
}

function manifestText(): string {
  const manifest = fs.readFileSync(BUILDER_MANIFEST, 'utf8');
  const problems = manifestProblems(manifest);
  if (problems.length > 0) {
    throw new OtelStackError(
      `${BUILDER_MANIFEST} does not match COLLECTOR_VERSION ${COLLECTOR_VERSION} in versions.ts:\n  ` +
        problems.join('\n  '),
    );
  }
  return manifest;
}

/** The Collector Builder (ocb) of the release line, installed into its own cache folder. */
export async function ensureBuilder(options: BuildOptions = {}): Promise<BuiltBinary> {
  const env = options.env ?? process.env;
  return ensureBuilt({
    component: 'ocb',
    version: COLLECTOR_VERSION,
    key: `${BUILDER_MODULE}@v${COLLECTOR_VERSION}`,
    binary: path.join('bin', 'builder'),
    env,
    log: options.log,
    build: async (dir) => {
      const { go } = await findGo(env);
      options.log?.(`Installing the Collector Builder v${COLLECTOR_VERSION} (go install)...`);
      await runLogged(go, ['install', `${BUILDER_MODULE}@v${COLLECTOR_VERSION}`], {
        cwd: dir,
        env: { ...goEnv(env), GOBIN: path.join(dir, 'bin') },
        logPath: path.join(dir, 'build.log'),
        signal: options.signal,
        timeoutMs: 15 * 60_000,
        what: 'Collector Builder install',
      });
    },
  });
}

/**
 * The Collector of collector-builder.yaml, built with ocb into
 * `<cache>/otel-stack/otelcol-<version>/src/`. The manifest's hash is part of the cache key,
 * so adding a component rebuilds.
 */
export async function ensureCollector(options: BuildOptions = {}): Promise<BuiltBinary> {
  const env = options.env ?? process.env;
  const manifest = manifestText();
  const key = createHash('sha256').update(manifest).digest('hex');
  return ensureBuilt({
    component: 'otelcol',
    version: COLLECTOR_VERSION,
    key,
    binary: COLLECTOR_BINARY,
    env,
    log: options.log,
    build: async (dir) => {
      const { go } = await findGo(env);
      const builder = await ensureBuilder(options);
      const logPath = path.join(dir, 'build.log');
      options.log?.(
        `Building the OpenTelemetry Collector ${COLLECTOR_VERSION} with ocb (a cold build takes minutes; log: ${logPath})...`,
      );
      // ocb resolves `output_path: ./src` against its working directory: the cache folder.
      await runLogged(builder.binary, ['--config', BUILDER_MANIFEST], {
        cwd: dir,
        env: { ...goEnv(env), PATH: `${path.dirname(go)}${path.delimiter}${env.PATH ?? ''}` },
        logPath,
        signal: options.signal,
        timeoutMs: 40 * 60_000,
        what: 'Collector build',
      });
    },
  });
}

/**
 * `otelcol validate`: parses a config with the very components of this build, expanding
 * `${env:...}` from `env`; resolves, or rejects with the Collector's own explanation.
 */
export async function validateCollectorConfig(
  collector: string,
  configPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  try {
    await execFileAsync(collector, ['validate', '--config', configPath], { env, timeout: 60_000 });
  } catch (error) {
    const { stderr, stdout, message } = error as Error & { stderr?: string; stdout?: string };
    throw new OtelStackError(
      `The Collector rejects ${configPath}:\n${(stderr || stdout || message).trim()}`,
    );
  }
}
