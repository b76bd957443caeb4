/**
 * The broker restarts of the soak: every two minutes one node (in turn 1, 2, 3, 1, ...) is
 * stopped with SIGTERM (Kafka's controlled shutdown moves its partition leaders away) and
 * started again by the project's launcher, which waits until it answers. One node down at a
 * time: the topics keep min.insync.replicas=2 of 3, so producers with acks=all go on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startNode, stopCluster } from '../local-kafka';
import { SoakError } from './errors';

export const RESTART_EVERY_MS = 120_000;
/**
 * The last quarter of the run (at least 45 s) has no restart: the series are judged on that
 * quiet stretch, where only the steady load and the churn run (see soak-verdict.ts).
 */
const MIN_QUIET_TAIL_MS = 45_000;
/** After a node is back, clients reconnect and coordinators settle for a while. */
export const SETTLE_AFTER_RESTART_SECONDS = 30;
const NODE_START_TIMEOUT_MS = 180_000;

export interface RestartEvent {
  node: number;
  /** Seconds since the soak started, when the stop was sent. */
  t: number;
  stopSeconds: number;
  startSeconds: number;
  outcome: string;
}

export interface RestartPlan {
  cluster: string;
  nodeCount: number;
  /** Epoch ms the soak started and ends. */
  startedAt: number;
  endsAt: number;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Which node is down now (undefined: none), for the samples. */
  onNodeDown: (node: number | undefined) => void;
  /** Each completed restart is appended here (kept when the run is interrupted). */
  events: RestartEvent[];
}

/** When the restarts happen (epoch ms), for a soak of this length. */
export function restartTimes(startedAt: number, endsAt: number): number[] {
  const quietTail = Math.max(MIN_QUIET_TAIL_MS, (endsAt - startedAt) / 4);
  const times: number[] = [];
  for (let at = startedAt + RESTART_EVERY_MS; at + quietTail <= endsAt; at += RESTART_EVERY_MS) {
    times.push(at);
  }
  return times;
}

/** Runs the restarts on schedule until the end or an abort; a node that will not start fails. */
export async function runBrokerRestarts(plan: RestartPlan): Promise<void> {
  const { events } = plan;
  const times = restartTimes(plan.startedAt, plan.endsAt);
  for (const [index, at] of times.entries()) {
    await sleep(Math.max(0, at - Date.now()), undefined, { signal: plan.signal }).catch(
      () => undefined,
    );
    if (plan.signal.aborted) break;
    const node = (index % plan.nodeCount) + 1;
    const t = Math.round((Date.now() - plan.startedAt) / 1000);
    plan.log(`[soak] t=${t}s: restarting broker node ${node}...`);
    plan.onNodeDown(node);
    const stopStarted = Date.now();
    const [stopped] = await stopCluster({ cluster: plan.cluster, node, log: plan.log });
    const stopSeconds = (Date.now() - stopStarted) / 1000;
    const startStarted = Date.now();
    try {
      await startNode({
        cluster: plan.cluster,
        node,
        timeoutMs: NODE_START_TIMEOUT_MS,
        signal: plan.signal,
        log: plan.log,
      });
    } catch (error) {
      if (plan.signal.aborted) break;
      throw new SoakError(
        `Broker node ${node} did not start again after its restart: ${(error as Error).message}`,
      );
    }
    plan.onNodeDown(undefined);
    const startSeconds = (Date.now() - startStarted) / 1000;
    const outcome = stopped?.outcome ?? 'stopped';
    events.push({ node, t, stopSeconds, startSeconds, outcome });
    plan.log(
      `[soak] broker node ${node} ${outcome} in ${stopSeconds.toFixed(1)} s, up again in ${startSeconds.toFixed(1)} s.`,
    );
  }
}
