/**
 * Jolokia, the JMX-over-HTTP agent the launcher attaches to brokers (`--jmx`) and to the Connect
 * worker: the collectors read MBeans as JSON over loopback HTTP, with no RMI and no second JVM.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, LocalKafkaError } from './errors';
import { ensureStandaloneJar, type StandaloneJar } from './maven-resolve';
import { HOST } from './ports';

/** Pinned like the Kafka versions; the `javaagent` classifier is the shaded, self-contained jar. */
export const JOLOKIA_AGENT: StandaloneJar = {
  groupId: 'org.jolokia',
  artifactId: 'jolokia-agent-jvm',
  version: '2.6.0',
  classifier: 'javaagent',
};

/** Resolves the agent jar into the cache (Maven on first use only) and returns its path. */
export function ensureJolokiaAgent(
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  return ensureStandaloneJar(JOLOKIA_AGENT, log, env);
}

/**
 * The JVM flag attaching the agent on loopback only. Discovery is off: it would answer multicast
 * queries from the network, and nothing here needs it.
 */
export function jolokiaAgentArg(agentJar: string, port: number): string {
  return `-javaagent:${agentJar}=host=${HOST},port=${port},discoveryEnabled=false`;
}

/** Base URL of an agent; Jolokia's operations (`version`, `read`, bulk POST) go below it. */
export function jolokiaUrl(port: number): string {
  return `http://${HOST}:${port}/jolokia/`;
}

/** True when the agent answers `GET <url>version` with a successful Jolokia reply. */
export async function jolokiaAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}version`, { signal: AbortSignal.timeout(2_000) });
    if (response.status !== 200) return false;
    const body = (await response.json()) as { status?: unknown };
    return body.status === 200;
  } catch {
    return false;
  }
}

/**
 * Waits until every agent answers. The agent starts its HTTP server before the JVM's main class
 * runs, so this is quick; `stillRunning` lets a JVM that died end the wait at once.
 */
export async function waitForJolokia(
  urls: string[],
  deadline: number,
  timeoutSeconds: number,
  options: { signal?: AbortSignal; stillRunning?: () => string | undefined } = {},
): Promise<void> {
  let pending = urls;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    const answers = await Promise.all(pending.map(jolokiaAnswers));
    pending = pending.filter((_, i) => !answers[i]);
    if (pending.length === 0) return;
    const died = options.stillRunning?.();
    if (died) throw new LocalKafkaError(died);
    if (Date.now() >= deadline) {
      throw new LocalKafkaError(
        `The Jolokia agent at ${pending.join(', ')} did not answer GET <url>version within ${timeoutSeconds} s.`,
      );
    }
    await sleep(250);
  }
}
