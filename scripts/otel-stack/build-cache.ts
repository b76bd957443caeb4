import fs from 'node:fs';
import path from 'node:path';
import { isExecutableFile } from '../local-kafka/executable-lookup';
import { withFileLock } from '../local-kafka/file-lock';
import { componentDir } from './paths';

/** Written last, after the binary exists: a folder without it is a broken build, redone. */
const MARKER = 'build-complete.json';

interface Marker {
  component: string;
  version: string;
  /** Fingerprint of the inputs (e.g. the manifest's hash): a change means rebuild. */
  key: string;
  binary: string;
  buildSeconds: number;
  builtAt: string;
}

export interface BuiltBinary {
  component: string;
  version: string;
  binary: string;
  /** True when the cache already held a complete build. */
  cached: boolean;
  /** Seconds this call spent (lock wait and build included). */
  seconds: number;
}

export interface EnsureBuiltOptions {
  component: string;
  version: string;
  key: string;
  /** Path of the binary inside the component folder. */
  binary: string;
  /** Builds into the (empty) component folder. */
  build: (dir: string) => Promise<void>;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

function readMarker(dir: string): Marker | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

function isComplete(dir: string, options: EnsureBuiltOptions): boolean {
  const marker = readMarker(dir);
  return marker?.key === options.key && isExecutableFile(path.join(dir, options.binary));
}

/**
 * Returns the cached binary, or builds it first. A lock beside the folder keeps two launchers
 * (two vitest projects, a terminal and a test run) from building into the same folder at once;
 * the second one waits and then finds the first one's build.
 */
export async function ensureBuilt(options: EnsureBuiltOptions): Promise<BuiltBinary> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const dir = componentDir(options.component, options.version, env);
  const result = (cached: boolean): BuiltBinary => ({
    component: options.component,
    version: options.version,
    binary: path.join(dir, options.binary),
    cached,
    seconds: (Date.now() - started) / 1000,
  });
  if (isComplete(dir, options)) return result(true);
  return withFileLock(
    `${dir}.lock`,
    `the ${options.component} ${options.version} build`,
    async () => {
      if (isComplete(dir, options)) return result(true);
      if (fs.existsSync(dir)) {
        options.log?.(`Removing the incomplete or outdated build in ${dir}.`);
        fs.rmSync(dir, { recursive: true, force: true });
      }
      fs.mkdirSync(dir, { recursive: true });
      await options.build(dir);
      if (!isExecutableFile(path.join(dir, options.binary))) {
        throw new Error(`the ${options.component} build finished without ${options.binary}`);
      }
      const built = result(false);
      const marker: Marker = {
        component: options.component,
        version: options.version,
        key: options.key,
        binary: options.binary,
        buildSeconds: built.seconds,
        builtAt: new Date().toISOString(),
      };
      fs.writeFileSync(path.join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
      return built;
    },
    // A cold Collector build takes minutes; a waiting launcher must outlast it.
    45 * 60_000,
  );
}
