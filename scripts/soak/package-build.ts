/**
 * The soak runs the built package (dist/), as users do. It builds first only when dist/ is
 * missing or some file under src/ changed after the build, so an unchanged tree is not rebuilt
 * under a benchmark that may be reading dist/.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { InterruptedError, SoakError } from './errors';
import { REPO_ROOT } from './paths';

const SRC = path.join(REPO_ROOT, 'src');
const DIST = path.join(REPO_ROOT, 'dist');
/** The files the app loads first; missing means never built (or a build in progress). */
const DIST_ENTRIES = ['cjs/register.js', 'cjs/index.js'];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? files(file) : [file];
  });
}

/** Why dist/ needs a build, or undefined when it is up to date with src/. */
export function staleBuildReason(): string | undefined {
  const missing = DIST_ENTRIES.find((entry) => !fs.existsSync(path.join(DIST, entry)));
  if (missing) return `dist/${missing} is missing`;
  // The build writes every file of dist/ at once; its oldest file is when it ran.
  const builtAt = Math.min(...files(DIST).map((file) => fs.statSync(file).mtimeMs));
  const newer = files(SRC).find((file) => fs.statSync(file).mtimeMs > builtAt);
  return newer ? `${path.relative(REPO_ROOT, newer)} changed after the last build` : undefined;
}

/** `npm run build` (scripts/build.mjs), its output on our stderr; abortable. */
async function build(signal: AbortSignal): Promise<void> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 2, 2],
  });
  const onAbort = (): void => void child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    if (signal.aborted) throw new InterruptedError();
    if (code !== 0) throw new SoakError(`npm run build failed (exit code ${code}); see above.`);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Builds when dist/ is stale; returns the reason it built, or undefined when it did not. */
export async function ensureFreshBuild(
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<string | undefined> {
  const reason = staleBuildReason();
  if (reason === undefined) return undefined;
  log(`Building kafka-otel (npm run build): ${reason}...`);
  await build(signal);
  return reason;
}
