import path from 'node:path';

/**
 * Where the launcher keeps its files. The repository root is found from this file's location
 * (scripts/local-kafka/), not from the working directory, so `npm run kafka` and the vitest
 * global setups agree whatever folder they are started from.
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Root of the download cache; CI points KAFKA_OTEL_CACHE_DIR outside the clone to keep it warm. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.KAFKA_OTEL_CACHE_DIR?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(REPO_ROOT, '.cache');
}

/** Folder holding one Kafka version's pom, resolved jars and completion marker. */
export function kafkaVersionCacheDir(
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return path.join(cacheRoot(env), 'kafka', version);
}

/** Folder holding one Kafka Connect version's pom, resolved jars and completion marker. */
export function connectVersionCacheDir(
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return path.join(cacheRoot(env), 'kafka-connect', version);
}

/** Folder holding one Java agent jar (e.g. Jolokia) and its completion marker. */
export function javaAgentCacheDir(
  artifactId: string,
  version: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return path.join(cacheRoot(env), 'java-agents', artifactId, version);
}

/** Parent of every local cluster's folder (git-ignored through `.local/`). */
export const CLUSTERS_ROOT = path.join(REPO_ROOT, '.local', 'kafka');

export function clusterDir(cluster: string): string {
  return path.join(CLUSTERS_ROOT, cluster);
}

/** Lock file beside (not inside) the cluster folder, so `--fresh` can wipe the folder under it. */
export function clusterLockPath(cluster: string): string {
  return path.join(CLUSTERS_ROOT, `${cluster}.lock`);
}

/**
 * Certificates, keys and client settings of a secure cluster: made once when the cluster is
 * created, kept across restarts (the SCRAM credentials in its metadata match them), deleted by
 * `--fresh` with the rest of the folder.
 */
export function securityDir(cluster: string): string {
  return path.join(clusterDir(cluster), 'security');
}

/** The files of one node; everything the JVM reads or writes lives in its own folder. */
export interface NodePaths {
  dir: string;
  propertiesPath: string;
  logConfigPath: string;
  dataDir: string;
  logPath: string;
  pidPath: string;
}

export function nodePaths(cluster: string, nodeId: number, logConfigFileName: string): NodePaths {
  const dir = path.join(clusterDir(cluster), `node-${nodeId}`);
  return {
    dir,
    propertiesPath: path.join(dir, 'server.properties'),
    logConfigPath: path.join(dir, logConfigFileName),
    dataDir: path.join(dir, 'data'),
    logPath: path.join(dir, 'kafka.log'),
    pidPath: path.join(dir, 'kafka.pid'),
  };
}

/** The files of a cluster's Connect worker, in `.local/kafka/<cluster>/connect/`. */
export interface ConnectPaths {
  dir: string;
  propertiesPath: string;
  logPath: string;
  pidPath: string;
  /** What the running worker was started with (its Connect version), for `connect status`. */
  infoPath: string;
}

/** Lock of the cluster's Connect worker, beside the cluster folder like the cluster's own lock. */
export function connectLockPath(cluster: string): string {
  return path.join(CLUSTERS_ROOT, `${cluster}.connect.lock`);
}

export function connectPaths(cluster: string): ConnectPaths {
  const dir = path.join(clusterDir(cluster), 'connect');
  return {
    dir,
    propertiesPath: path.join(dir, 'connect-distributed.properties'),
    logPath: path.join(dir, 'connect.log'),
    pidPath: path.join(dir, 'connect.pid'),
    infoPath: path.join(dir, 'worker.json'),
  };
}
