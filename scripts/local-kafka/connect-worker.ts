/**
 * The cluster's Kafka Connect worker: one distributed-mode JVM (connect-runtime, connect-file and
 * connect-json from Maven Central) against the cluster's PLAINTEXT listeners, REST on BASE+50 and
 * a Jolokia agent on BASE+51, files in .local/kafka/<cluster>/connect/. Started `secure`, its REST
 * API is https with Basic authentication (connect-security.ts); Jolokia stays plain on loopback.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  allNodes,
  DEFAULT_CLUSTER,
  requireState,
  validateClusterName,
  type ClusterState,
  type CommonOptions,
  type Log,
} from './cluster-state';
import {
  connectPorts,
  connectRestUrl,
  connectWorkerProperties,
  CONNECT_HEAP_MB,
  type ConnectRestSecurity,
} from './connect-config';
import { getRestJson, type ConnectRestAccess } from './connect-rest-probe';
import {
  prepareSecureWorker,
  readConnectCredentials,
  restAccess,
  type ConnectCredentials,
} from './connect-security';
import { writePrivate } from './certificates';
import { InterruptedError, LocalKafkaError } from './errors';
import { withFileLock } from './file-lock';
import { requireJava } from './java-check';
import { ensureJolokiaAgent, jolokiaAgentArg, jolokiaUrl, waitForJolokia } from './jolokia-agent';
import { kafkaJvmArgs } from './jvm-options';
import { connectVersionFor, type LoggingSetup } from './kafka-versions';
import { fileSize, readFrom, tailLines } from './log-file';
import { ensureConnectLibs } from './maven-resolve';
import { renderLogConfig, renderProperties } from './node-config';
import { connectLockPath, connectPaths, type ConnectPaths } from './paths';
import { HOST, isPortFree } from './ports';
import {
  isAlive,
  runningNodePid,
  spawnDetachedJvm,
  stopNodeProcess,
  type StopOutcome,
} from './process-control';

/** Main class of a distributed worker (the class `connect-distributed.sh` runs). */
const CONNECT_MAIN_CLASS = 'org.apache.kafka.connect.cli.ConnectDistributed';
/** Creating the internal topics and joining the group take a while on a busy machine. */
export const DEFAULT_CONNECT_START_TIMEOUT_MS = 120_000;
/** A worker stops its connectors and tasks (5 s each at most by default) before it exits. */
export const DEFAULT_CONNECT_STOP_GRACE_MS = 30_000;

export interface StartConnectOptions extends CommonOptions {
  /** Connect release; default: the cluster's Kafka version, or the table in kafka-versions.ts. */
  connectVersion?: string;
  /** How long to wait for the REST API after launching (default 120 s). */
  timeoutMs?: number;
  /** Aborting stops the wait and kills the worker this call started. */
  signal?: AbortSignal;
  /**
   * An https REST API (certificate signed by the cluster's CA) requiring HTTP Basic
   * authentication; needs a --secure cluster. Default false. A running worker of the other kind
   * is an error, never silently restarted: someone else may be using it.
   */
  secure?: boolean;
}

export interface ConnectStartResult {
  cluster: string;
  /** REST base URL (no trailing slash): what KAFKA_CONNECT_URL holds. */
  url: string;
  /** Jolokia base URL of the worker (trailing slash): what KAFKA_CONNECT_JOLOKIA_URL holds. */
  jolokiaUrl: string;
  /** True for a worker started `secure` (https and Basic authentication). */
  secure: boolean;
  /** A secure worker's credentials (password included) and the file they are kept in. */
  credentials?: ConnectCredentials;
  /** The version the worker reports on `GET /`. */
  connectVersion: string;
  pid: number;
  /** True when the worker was already running and was only checked. */
  alreadyRunning: boolean;
  logPath: string;
  dir: string;
  elapsedMs: number;
}

export interface ConnectStatus {
  cluster: string;
  /** True while the worker's JVM runs (pid file checked against the process command line). */
  running: boolean;
  pid: number | undefined;
  /** True when `GET /` answers (a running worker may still be starting). */
  restAnswers: boolean;
  /** The running worker's kind, else the last start's. */
  secure: boolean;
  url: string;
  jolokiaUrl: string;
  /** A secure worker's credentials file (what KAFKA_CONNECT_CREDENTIALS names). */
  credentialsFile?: string;
  /** From `GET /` when it answers, else what the last start recorded. */
  connectVersion: string | undefined;
  logPath: string;
  dir: string;
}

/** What the last start recorded in worker.json. */
interface WorkerInfo {
  connectVersion: string;
  /** Absent in files written before secure workers existed: those were plain. */
  secure?: boolean;
  startedAt: string;
}

function readWorkerInfo(paths: ConnectPaths): WorkerInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(paths.infoPath, 'utf8')) as WorkerInfo;
  } catch {
    return undefined;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

/** The version a worker reports on `GET /`, when it answers. */
async function reportedVersion(
  url: string,
  access: ConnectRestAccess | undefined,
): Promise<string | undefined> {
  const root = await getRestJson(`${url}/`, access);
  const version = (root?.body as { version?: unknown } | undefined)?.version;
  return root?.status === 200 && typeof version === 'string' ? version : undefined;
}

/**
 * Ready means the REST API serves `GET /` and `GET /connectors`, and `GET /health` (Connect 3.9+,
 * KIP-1017) says the herder runs. The first two answer 200 as soon as the REST server is up,
 * even while the herder is still creating its topics, or failing to (seen with a replication
 * factor above the broker count): only /health tells. A worker older than 3.9 answers it 404.
 * A secure worker must also accept the credentials and present a certificate the CA signed.
 */
async function restReadiness(
  url: string,
  access: ConnectRestAccess | undefined,
): Promise<string | undefined> {
  for (const route of ['/', '/connectors', '/health']) {
    const answer = await getRestJson(`${url}${route}`, access);
    if (answer?.status === 200 || (route === '/health' && answer?.status === 404)) continue;
    // /health blocks for up to 10 s while the herder is not ready: no answer means not yet.
    return `GET ${url}${route} ${answer ? `answered ${answer.status}` : 'got no answer'}`;
  }
  return undefined;
}

/** `secure` or `plain`, in messages about a running worker of the other kind. */
function kindOf(secure: boolean): string {
  return secure ? 'secure (https, Basic auth)' : 'plain (http)';
}

function workerFailure(paths: ConnectPaths, pid: number, logOffset: number, reason: string): Error {
  const log = readFrom(paths.logPath, logOffset);
  const bind = /BindException|Address already in use/.test(log)
    ? '\nIt could not bind its REST or Jolokia port: another process took it.'
    : '';
  return new LocalKafkaError(
    `The Kafka Connect worker (pid ${pid}) ${reason}.${bind}\n` +
      `Last lines of ${paths.logPath}:\n${tailLines(paths.logPath, 40)}`,
  );
}

async function waitForWorker(
  paths: ConnectPaths,
  pid: number,
  logOffset: number,
  url: string,
  access: ConnectRestAccess | undefined,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const timeoutSeconds = Math.round(timeoutMs / 100) / 10;
  for (;;) {
    throwIfAborted(signal);
    const problem = await restReadiness(url, access);
    if (problem === undefined) return;
    if (!isAlive(pid)) throw workerFailure(paths, pid, logOffset, 'exited during startup');
    if (Date.now() >= deadline) {
      throw workerFailure(
        paths,
        pid,
        logOffset,
        `was not ready within ${timeoutSeconds} s (${problem})`,
      );
    }
    await sleep(500);
  }
}

/** The cluster must be fully up: the worker creates its topics with one replica per node. */
function requireRunningCluster(state: ClusterState): string[] {
  const nodes = allNodes(state);
  const down = nodes.filter((n) => n.pid === undefined).map((n) => n.nodeId);
  if (down.length > 0) {
    const start = `npm run kafka -- start --cluster ${state.cluster}`;
    throw new LocalKafkaError(
      down.length === nodes.length
        ? `Cluster '${state.cluster}' is not running; start it first with \`${start}\`.`
        : `Node(s) ${down.join(', ')} of cluster '${state.cluster}' are down; start them first with \`${start}\`.`,
    );
  }
  return nodes.map((n) => n.address);
}

async function assertConnectPortsFree(restPort: number, jolokiaPort: number): Promise<void> {
  for (const [role, port] of [
    ['REST', restPort],
    ['Jolokia', jolokiaPort],
  ] as const) {
    if (await isPortFree(port)) continue;
    throw new LocalKafkaError(
      [
        `Port ${port} (the Connect worker's ${role} port, BASE+${role === 'REST' ? 50 : 51}) is already in use on ${HOST}.`,
        `Find the process with \`ss -ltnp 'sport = :${port}'\` or \`lsof -iTCP:${port} -sTCP:LISTEN\` and stop it,`,
        'or run the cluster on other ports (--port BASE; the worker uses BASE+50 and BASE+51).',
      ].join('\n'),
    );
  }
}

/** Configs are rewritten on every start; returns the log config's path (named per backend). */
function writeWorkerFiles(
  paths: ConnectPaths,
  state: ClusterState,
  brokers: string[],
  restPort: number,
  connectVersion: string,
  logging: LoggingSetup,
  security: ConnectRestSecurity | undefined,
): string {
  fs.mkdirSync(paths.dir, { recursive: true });
  const props = connectWorkerProperties({
    brokers,
    nodeCount: state.nodeCount,
    restPort,
    security,
  });
  // Private: a secure worker's properties hold its key store password.
  writePrivate(
    paths.propertiesPath,
    renderProperties(
      props,
      `Kafka Connect ${connectVersion} worker of local cluster '${state.cluster}', written by scripts/local-kafka on every start.`,
    ),
  );
  const logConfigPath = path.join(paths.dir, logging.configFileName);
  fs.writeFileSync(logConfigPath, renderLogConfig(logging.kind));
  return logConfigPath;
}

/**
 * Starts the cluster's Connect worker and resolves once its REST API and Jolokia agent answer.
 * Idempotent: a running worker is only checked. A failed start kills the JVM it launched.
 */
export async function startConnect(options: StartConnectOptions = {}): Promise<ConnectStartResult> {
  const startedAt = Date.now();
  const cluster = validateClusterName(options.cluster ?? DEFAULT_CLUSTER);
  const log: Log = options.log ?? (() => undefined);
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_START_TIMEOUT_MS;
  const secure = options.secure ?? false;

  return withFileLock(connectLockPath(cluster), `the Connect worker of '${cluster}'`, async () => {
    const state = requireState(cluster);
    const connectVersion = options.connectVersion ?? connectVersionFor(state.kafkaVersion);
    const { restPort, jolokiaPort } = connectPorts(state.basePort);
    const url = connectRestUrl(restPort, secure);
    const agentUrl = jolokiaUrl(jolokiaPort);
    const paths = connectPaths(cluster);
    const result = (
      pid: number,
      version: string,
      alreadyRunning: boolean,
      credentials: ConnectCredentials | undefined,
    ): ConnectStartResult => ({
      cluster,
      url,
      jolokiaUrl: agentUrl,
      secure,
      ...(credentials ? { credentials } : {}),
      connectVersion: version,
      pid,
      alreadyRunning,
      logPath: paths.logPath,
      dir: paths.dir,
      elapsedMs: Date.now() - startedAt,
    });

    const runningPid = runningNodePid(paths.pidPath, paths.propertiesPath);
    if (runningPid !== undefined) {
      const info = readWorkerInfo(paths);
      const recorded = info?.connectVersion;
      if (options.connectVersion !== undefined && recorded !== options.connectVersion) {
        throw new LocalKafkaError(
          `The Connect worker of '${cluster}' already runs Connect ${recorded ?? '(unknown)'}; ` +
            `stop it first with \`npm run kafka -- connect stop --cluster ${cluster}\` to run ${options.connectVersion}.`,
        );
      }
      // One worker per cluster (same ports, group and topics); replacing it would pull it away
      // from whoever started it, so asking for the other kind is refused.
      const runningSecure = info?.secure ?? false;
      if (runningSecure !== secure) {
        throw new LocalKafkaError(
          `The Connect worker of '${cluster}' already runs ${kindOf(runningSecure)}; stop it first with ` +
            `\`npm run kafka -- connect stop --cluster ${cluster}\` to start a ${kindOf(secure)} one.`,
        );
      }
      const credentials = secure ? readConnectCredentials(cluster) : undefined;
      if (secure && !credentials) {
        throw new LocalKafkaError(
          `The secure Connect worker of '${cluster}' runs but its credentials file is missing; restart it with ` +
            `\`npm run kafka -- connect stop --cluster ${cluster}\` and \`connect start --secure\`.`,
        );
      }
      const access = credentials ? restAccess(credentials) : undefined;
      await waitForWorker(
        paths,
        runningPid,
        fileSize(paths.logPath),
        url,
        access,
        timeoutMs,
        options.signal,
      );
      await waitForJolokia([agentUrl], Date.now() + timeoutMs, timeoutMs / 1000, options);
      const version = (await reportedVersion(url, access)) ?? connectVersion;
      return result(runningPid, version, true, credentials);
    }

    const brokers = requireRunningCluster(state);
    const secured = secure ? await prepareSecureWorker(state, url, env) : undefined;
    const access = secured ? restAccess(secured.credentials) : undefined;
    const java = await requireJava(env);
    const libs = await ensureConnectLibs(connectVersion, log, env);
    const agentJar = await ensureJolokiaAgent(log, env);
    await assertConnectPortsFree(restPort, jolokiaPort);
    const logConfigPath = writeWorkerFiles(
      paths,
      state,
      brokers,
      restPort,
      connectVersion,
      libs.logging,
      secured?.rest,
    );
    const info: WorkerInfo = { connectVersion, secure, startedAt: new Date().toISOString() };
    fs.writeFileSync(paths.infoPath, `${JSON.stringify(info, null, 2)}\n`);

    log(
      `Starting Kafka Connect ${connectVersion} worker of '${cluster}': REST ${url}${secure ? ' (Basic auth)' : ''}, Jolokia ${agentUrl}, brokers ${brokers.join(',')}, log ${paths.logPath}`,
    );
    const logOffset = fileSize(paths.logPath);
    const pid = spawnDetachedJvm({
      java: java.path,
      jvmArgs: [
        ...kafkaJvmArgs({
          libsDir: libs.dir,
          logging: libs.logging,
          logConfigPath,
          heapMb: CONNECT_HEAP_MB,
          javaAgents: [jolokiaAgentArg(agentJar, jolokiaPort)],
        }),
        // The Basic auth extension reads its users through this JAAS file's `KafkaConnect` login.
        ...(secured ? [`-Djava.security.auth.login.config=${secured.jaasFile}`] : []),
      ],
      mainClass: CONNECT_MAIN_CLASS,
      args: [paths.propertiesPath],
      cwd: paths.dir,
      logPath: paths.logPath,
    });
    fs.writeFileSync(paths.pidPath, `${pid}\n`);
    try {
      await waitForWorker(paths, pid, logOffset, url, access, timeoutMs, options.signal);
      await waitForJolokia([agentUrl], Date.now() + timeoutMs, timeoutMs / 1000, {
        signal: options.signal,
        stillRunning: () => (isAlive(pid) ? undefined : `The Connect worker (pid ${pid}) exited.`),
      });
    } catch (error) {
      log('Connect worker start failed; killing it.');
      await stopNodeProcess(pid, paths.propertiesPath, 0);
      fs.rmSync(paths.pidPath, { force: true });
      throw error;
    }
    const version = (await reportedVersion(url, access)) ?? connectVersion;
    return result(pid, version, false, secured?.credentials);
  });
}

export interface StopConnectOptions extends CommonOptions {
  /** SIGTERM grace period before SIGKILL (default 30 s). */
  graceMs?: number;
}

/** Stops the cluster's worker: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopConnect(options: StopConnectOptions = {}): Promise<StopOutcome> {
  const cluster = validateClusterName(options.cluster ?? DEFAULT_CLUSTER);
  requireState(cluster);
  return withFileLock(connectLockPath(cluster), `the Connect worker of '${cluster}'`, () =>
    stopConnectProcess(cluster, options.graceMs ?? DEFAULT_CONNECT_STOP_GRACE_MS, options.log),
  );
}

/** Stops the worker if it runs (also used when the cluster itself stops or is wiped). */
export async function stopConnectProcess(
  cluster: string,
  graceMs: number,
  log: Log = () => undefined,
): Promise<StopOutcome> {
  const paths = connectPaths(cluster);
  const pid = runningNodePid(paths.pidPath, paths.propertiesPath);
  const outcome =
    pid === undefined ? 'not-running' : await stopNodeProcess(pid, paths.propertiesPath, graceMs);
  fs.rmSync(paths.pidPath, { force: true });
  if (outcome === 'killed') {
    log(`The Connect worker ignored SIGTERM for ${graceMs / 1000} s and was killed.`);
  }
  return outcome;
}

/** Whether the cluster's worker runs and answers, with its URLs, kind and version. */
export async function connectStatus(options: CommonOptions = {}): Promise<ConnectStatus> {
  const cluster = validateClusterName(options.cluster ?? DEFAULT_CLUSTER);
  const state = requireState(cluster);
  const { restPort, jolokiaPort } = connectPorts(state.basePort);
  const paths = connectPaths(cluster);
  const info = readWorkerInfo(paths);
  const secure = info?.secure ?? false;
  const url = connectRestUrl(restPort, secure);
  const credentials = secure ? readConnectCredentials(cluster) : undefined;
  const pid = runningNodePid(paths.pidPath, paths.propertiesPath);
  const reported =
    pid === undefined || (secure && !credentials)
      ? undefined
      : await reportedVersion(url, credentials ? restAccess(credentials) : undefined);
  return {
    cluster,
    running: pid !== undefined,
    pid,
    restAnswers: reported !== undefined,
    secure,
    url,
    jolokiaUrl: jolokiaUrl(jolokiaPort),
    ...(credentials ? { credentialsFile: credentials.credentialsFile } : {}),
    connectVersion: reported ?? info?.connectVersion,
    logPath: paths.logPath,
    dir: paths.dir,
  };
}
