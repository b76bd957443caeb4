import fs from 'node:fs';
import path from 'node:path';
import {
  allNodes,
  localClusterOwningPort,
  nodeInfo,
  writeState,
  type ClusterState,
  type Log,
  type NodeInfo,
} from './cluster-state';
import { writePrivate } from './certificates';
import {
  createClusterSecurity,
  listenerSecurity,
  requireClusterSecurity,
  scramCredentials,
  type SecuredClusterSettings,
} from './cluster-security';
import { requireJava } from './java-check';
import { ensureJolokiaAgent, jolokiaAgentArg, jolokiaUrl, waitForJolokia } from './jolokia-agent';
import { heapMegabytes, kafkaJvmArgs } from './jvm-options';
import { fileSize } from './log-file';
import { ensureKafkaLibs, type KafkaLibs } from './maven-resolve';
import {
  renderLogConfig,
  renderProperties,
  serverProperties,
  type ListenerSecurity,
} from './node-config';
import { clusterDir } from './paths';
import { assertPortsFree, HOST } from './ports';
import { spawnDetachedJvm, stopNodeProcess } from './process-control';
import { waitForBrokers, waitForStartedLine, type StartingNode } from './readiness';
import { formatStorage, type ScramCredential } from './storage-format';

/** Configs are rewritten on every start, so changes to the rendering apply to existing clusters. */
function writeNodeFiles(
  state: ClusterState,
  node: NodeInfo,
  libs: KafkaLibs,
  security: ListenerSecurity | undefined,
): void {
  fs.mkdirSync(node.dataDir, { recursive: true });
  const props = serverProperties({
    nodeId: node.nodeId,
    nodeCount: state.nodeCount,
    basePort: state.basePort,
    dataDir: node.dataDir,
    security,
  });
  const text = renderProperties(
    props,
    `Kafka ${state.kafkaVersion} node ${node.nodeId} of local cluster '${state.cluster}', written by scripts/local-kafka on every start.`,
  );
  // A secure node's properties hold the PLAIN users' passwords (in the listener's JAAS config).
  if (security) writePrivate(node.propertiesPath, text);
  else fs.writeFileSync(node.propertiesPath, text);
  fs.writeFileSync(node.logConfigPath, renderLogConfig(libs.logging.kind));
}

export interface LaunchInput {
  state: ClusterState;
  nodeIds: number[];
  /** A new cluster gets a clean folder and formatted storage. */
  isNew: boolean;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  log: Log;
  env: NodeJS.ProcessEnv;
}

export interface LaunchOutcome {
  /** Every node running once the launched ones answer (node order). */
  running: NodeInfo[];
  /** A secure cluster's client settings (users, certificates, secured addresses). */
  security: SecuredClusterSettings | undefined;
}

/** Jolokia URLs of the given nodes, when the cluster runs with --jmx. */
export function nodeJolokiaUrls(state: ClusterState, nodes: NodeInfo[]): string[] | undefined {
  return state.jmx ? nodes.map((n) => jolokiaUrl(n.jolokiaPort)) : undefined;
}

async function formatNew(
  state: ClusterState,
  nodes: NodeInfo[],
  java: string,
  libs: KafkaLibs,
  log: Log,
  scram: ScramCredential[],
): Promise<void> {
  log(
    `Formatting KRaft storage of ${nodes.length} node(s) (Kafka ${state.kafkaVersion}, cluster id ${state.clusterId})...`,
  );
  await Promise.all(
    nodes.map((n) =>
      formatStorage(
        java,
        { libsDir: libs.dir, logging: libs.logging, logConfigPath: n.logConfigPath },
        state.clusterId,
        n.propertiesPath,
        scram,
      ),
    ),
  );
}

/**
 * Writes the node configs and, for a new cluster, makes its certificates and users (when secure)
 * and formats its storage. A new cluster that fails here is deleted: half-made data is useless.
 */
async function prepareNodes(
  input: LaunchInput,
  nodes: NodeInfo[],
  java: string,
  libs: KafkaLibs,
): Promise<SecuredClusterSettings | undefined> {
  const { state, isNew, log, env } = input;
  if (isNew) {
    fs.rmSync(clusterDir(state.cluster), { recursive: true, force: true });
    fs.mkdirSync(clusterDir(state.cluster), { recursive: true });
  }
  try {
    let security: SecuredClusterSettings | undefined;
    if (state.secure) {
      if (isNew) log('Creating certificates and users for the SASL_SSL and mTLS listeners...');
      security = isNew ? await createClusterSecurity(state, env) : requireClusterSecurity(state);
    }
    for (const node of nodes) {
      writeNodeFiles(state, node, libs, security && listenerSecurity(security));
    }
    if (isNew) {
      await formatNew(state, nodes, java, libs, log, security ? scramCredentials(security) : []);
    }
    return security;
  } catch (error) {
    if (isNew) fs.rmSync(clusterDir(state.cluster), { recursive: true, force: true });
    throw error;
  }
}

/**
 * Checks Java, jars and ports, writes configs, formats a new cluster, launches the nodes and
 * waits until they answer. Any failure kills every JVM this call launched: no orphans.
 */
export async function launchNodes(input: LaunchInput): Promise<LaunchOutcome> {
  const { state, log, env } = input;
  // The usual reasons a start fails are checked first, before anything is written.
  const java = await requireJava(env);
  const libs = await ensureKafkaLibs(state.kafkaVersion, log, env);
  const agentJar = state.jmx ? await ensureJolokiaAgent(log, env) : undefined;
  const nodes = input.nodeIds.map((id) => nodeInfo(state, id));
  await assertPortsFree(nodes, {
    secure: state.secure,
    jmx: state.jmx,
    ownerOf: localClusterOwningPort,
  });

  const security = await prepareNodes(input, nodes, java.path, libs);
  // Saved after formatting: a state file means "this data is usable"; it also records a new port.
  writeState(state);

  const stopWaiting = new AbortController();
  const signal = input.signal
    ? AbortSignal.any([input.signal, stopWaiting.signal])
    : stopWaiting.signal;
  const started: Array<StartingNode & { node: NodeInfo }> = [];
  try {
    for (const node of nodes) {
      const secured = state.secure
        ? `, SASL_SSL ${HOST}:${node.saslSslPort}, mTLS ${HOST}:${node.mtlsPort}`
        : '';
      const jolokia = agentJar ? `, Jolokia ${HOST}:${node.jolokiaPort}` : '';
      log(
        `Starting node ${node.nodeId}: broker ${node.address}${secured}${jolokia}, controller ${HOST}:${node.controllerPort}, log ${path.relative(process.cwd(), node.logPath)}`,
      );
      const logOffset = fileSize(node.logPath);
      const pid = spawnDetachedJvm({
        java: java.path,
        jvmArgs: kafkaJvmArgs({
          libsDir: libs.dir,
          logging: libs.logging,
          logConfigPath: node.logConfigPath,
          heapMb: heapMegabytes(state.nodeCount, env),
          javaAgents: agentJar ? [jolokiaAgentArg(agentJar, node.jolokiaPort)] : [],
        }),
        mainClass: 'kafka.Kafka',
        args: [node.propertiesPath],
        cwd: node.dir,
        logPath: node.logPath,
      });
      fs.writeFileSync(node.pidPath, `${pid}\n`);
      started.push({ nodeId: node.nodeId, pid, logPath: node.logPath, logOffset, node });
    }
    const timeoutSeconds = Math.round(input.timeoutMs / 100) / 10;
    const deadline = Date.now() + input.timeoutMs;
    await Promise.all(started.map((s) => waitForStartedLine(s, deadline, timeoutSeconds, signal)));
    const running = allNodes(state).filter((n) => n.pid !== undefined);
    await waitForBrokers(
      running.map((n) => n.address),
      running.map((n) => n.nodeId),
      deadline,
      timeoutSeconds,
      signal,
    );
    const jolokiaUrls = nodeJolokiaUrls(state, running);
    // The JMX collectors read the agents: a --jmx cluster is only up when they answer too.
    if (jolokiaUrls) await waitForJolokia(jolokiaUrls, deadline, timeoutSeconds, { signal });
    return { running, security };
  } catch (error) {
    // Let the other nodes' waits end, then kill what this call started (no grace: it failed).
    stopWaiting.abort();
    if (started.length > 0) {
      log(`Start failed; killing the ${started.length} node(s) this run launched.`);
      await Promise.all(
        started.map(async (s) => {
          await stopNodeProcess(s.pid, s.node.propertiesPath, 0);
          fs.rmSync(s.node.pidPath, { force: true });
        }),
      );
    }
    throw error;
  }
}
