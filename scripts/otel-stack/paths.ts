import path from 'node:path';
import { cacheRoot } from '../local-kafka/paths';

/**
 * Where the stack keeps its files. The repository root comes from this file's location, so
 * `npm run otel-stack` and the vitest global setup agree whatever folder they start in.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The pipeline users run; the stack's Collector runs exactly this file. */
export const COLLECTOR_CONFIG = path.join(REPO_ROOT, 'otel-collector.yaml');
export const BUILDER_MANIFEST = path.join(__dirname, 'collector-builder.yaml');
export const JAEGER_CONFIG = path.join(__dirname, 'jaeger.yaml');

/**
 * Built binaries and Go's download/build caches, under KAFKA_OTEL_CACHE_DIR (CI keeps it
 * outside the clone, so warm runs reuse both) or `<repo>/.cache`.
 */
export function stackCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), 'otel-stack');
}

/** One built component: `<cache>/otel-stack/<component>-<version>/`. */
export function componentDir(
  component: string,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return path.join(stackCacheRoot(env), `${component}-${version}`);
}

/** GOPATH, GOMODCACHE and GOCACHE live beside the binaries, so a clean clone reuses downloads. */
export function goCacheDirs(env: NodeJS.ProcessEnv = process.env): {
  gopath: string;
  modcache: string;
  buildcache: string;
} {
  const go = path.join(stackCacheRoot(env), 'go');
  return {
    gopath: path.join(go, 'path'),
    modcache: path.join(go, 'mod'),
    buildcache: path.join(go, 'build'),
  };
}

/** Parent of every running stack's folder (git-ignored through `.local/`). */
export const STACKS_ROOT = path.join(REPO_ROOT, '.local', 'otel-stack');

export function stackDir(name: string): string {
  return path.join(STACKS_ROOT, name);
}

export function stackLockPath(name: string): string {
  return path.join(STACKS_ROOT, `${name}.lock`);
}
