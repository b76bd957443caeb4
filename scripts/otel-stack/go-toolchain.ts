import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { findOnPath } from '../local-kafka/executable-lookup';
import { OtelStackError } from './errors';
import { goCacheDirs } from './paths';
import { MIN_GO_VERSION } from './versions';

const execFileAsync = promisify(execFile);

/** `go1.26.8` -> [1, 26]; undefined for anything else (e.g. a devel build). */
export function parseGoVersion(text: string): [number, number] | undefined {
  const match = /go(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function isOlder(version: readonly [number, number], floor: readonly [number, number]): boolean {
  return version[0] < floor[0] || (version[0] === floor[0] && version[1] < floor[1]);
}

const INSTALL_HINT =
  'Install Go from the official release tarballs (go.dev/dl; unpack to /usr/local/go and put ' +
  "/usr/local/go/bin on PATH), or point GO at a go binary. Debian's golang-go package is " +
  'usually too old for the Collector.';

export interface GoToolchain {
  go: string;
  version: string;
}

/** The go binary ($GO, else PATH), checked to be new enough; a clear error otherwise. */
export async function findGo(env: NodeJS.ProcessEnv = process.env): Promise<GoToolchain> {
  const go = env.GO?.trim() || findOnPath('go', env.PATH) || findOnPath('go', '/usr/local/go/bin');
  const floor = `${MIN_GO_VERSION[0]}.${MIN_GO_VERSION[1]}`;
  if (!go || !fs.existsSync(go)) {
    throw new OtelStackError(
      `Go is missing: building the OpenTelemetry Collector and Jaeger needs Go >= ${floor} ` +
        `(${env.GO?.trim() ? `GO=${env.GO} does not exist` : 'no `go` on PATH or in /usr/local/go/bin'}).\n${INSTALL_HINT}`,
    );
  }
  let version: string;
  try {
    version = (await execFileAsync(go, ['env', 'GOVERSION'], { timeout: 60_000 })).stdout.trim();
  } catch (error) {
    throw new OtelStackError(`${go} does not run (${(error as Error).message}).\n${INSTALL_HINT}`);
  }
  const parsed = parseGoVersion(version);
  if (parsed && isOlder(parsed, MIN_GO_VERSION)) {
    throw new OtelStackError(
      `${go} is ${version}; the Collector needs Go >= ${floor}.\n${INSTALL_HINT}`,
    );
  }
  return { go, version };
}

/**
 * The environment of every go command: module and build caches in the stack cache (reused by
 * later clones), the machine's own toolchain only (GOTOOLCHAIN=local: a toolchain download
 * would not be reachable here anyway), and no checksum-database lookups unless the caller's
 * environment asks for them (only the module proxy is reachable; the modules' own go.sum files
 * still pin their dependencies).
 */
export function goEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dirs = goCacheDirs(env);
  return {
    ...env,
    GOPATH: dirs.gopath,
    GOMODCACHE: dirs.modcache,
    GOCACHE: dirs.buildcache,
    GOTOOLCHAIN: 'local',
    GOSUMDB: env.GOSUMDB ?? 'off',
    // The generated Collector and Jaeger are static binaries, like their official releases.
    CGO_ENABLED: env.CGO_ENABLED ?? '0',
  };
}
