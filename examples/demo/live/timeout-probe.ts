/**
 * `timeout`: makes one real Kafka request time out, so kafka.client.request.timeouts has data.
 *
 * A follower's SyncGroup is held by the broker until the group leader sends its own SyncGroup
 * with the assignment, and KafkaJS gives SyncGroup no extra time (unlike JoinGroup and Fetch,
 * which it allows to wait). So: a leader whose assignor takes 3 s, and a follower whose client
 * has a 1 s requestTimeout. The follower's SyncGroup waits at the broker longer than its client
 * waits, and times out, as it would behind a slow leader in production.
 *
 * The probe has its own topic and group and commits nothing, so it leaves no consumer-group
 * lag behind, and the settlement group is not disturbed. KafkaJS treats the failed SyncGroup
 * of a starting consumer as a crash: each probe also counts one kafka.consumer.crashes for
 * group demo-timeout-probe (error.type timeout, not restarted).
 */
import type * as KafkaJs from 'kafkajs';

export const PROBE_TOPIC = 'demo-timeout-probe';
const PROBE_GROUP = 'demo-timeout-probe';
const ASSIGNMENT_DELAY_MS = 3_000;
const FOLLOWER_REQUEST_TIMEOUT_MS = 1_000;
/** Bound of the whole probe: two joins, an assignment and the timeout take about 6 s. */
const PROBE_DEADLINE_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Round-robin assignment, handed in only after a pause: a slow group leader. */
function slowAssigner(kafkajs: typeof KafkaJs): KafkaJs.PartitionAssigner {
  return (config) => {
    const roundRobin = kafkajs.PartitionAssigners.roundRobin(config);
    return {
      ...roundRobin,
      // The protocol name members agree on; KafkaJS reads it from `this.name`.
      name: 'DemoSlowRoundRobin',
      async assign(group) {
        await sleep(ASSIGNMENT_DELAY_MS);
        return roundRobin.assign.call(this, group);
      },
    };
  };
}

async function ensureProbeTopic(kafka: KafkaJs.Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(PROBE_TOPIC)) return;
    await admin.createTopics({ topics: [{ topic: PROBE_TOPIC, numPartitions: 1 }] });
  } finally {
    await admin.disconnect();
  }
}

/** Resolves with how many requests timed out (0 if none did within the deadline). */
export async function provokeRequestTimeout(
  kafkajs: typeof KafkaJs,
  config: Pick<KafkaJs.KafkaConfig, 'brokers' | 'logLevel' | 'logCreator'>,
): Promise<number> {
  const leaderKafka = new kafkajs.Kafka({ ...config, clientId: 'settlement-probe-leader' });
  await ensureProbeTopic(leaderKafka);
  const assigners = [slowAssigner(kafkajs)];
  const leader = leaderKafka.consumer({
    groupId: PROBE_GROUP,
    partitionAssigners: assigners,
    // Heartbeats (which tell the leader a member is joining) between short fetches.
    heartbeatInterval: 500,
    maxWaitTimeInMs: 500,
  });
  const followerKafka = new kafkajs.Kafka({
    ...config,
    clientId: 'settlement-probe-follower',
    requestTimeout: FOLLOWER_REQUEST_TIMEOUT_MS,
  });
  const follower = followerKafka.consumer({
    groupId: PROBE_GROUP,
    partitionAssigners: assigners,
    // KafkaJS crashes a consumer whose SyncGroup fails while it starts; a restart would put it
    // back in the group after the probe disconnected it, behind the probe's back.
    retry: { restartOnFailure: () => Promise.resolve(false) },
    // The crashed follower never sends LeaveGroup: the broker drops it when its session
    // expires, and until then the next probe's join waits for it. The broker's minimum.
    sessionTimeout: 6_000,
  });
  let timeouts = 0;
  try {
    const leaderJoined = new Promise<void>((resolve) => {
      leader.on(leader.events.GROUP_JOIN, () => resolve());
    });
    await leader.connect();
    await leader.subscribe({ topic: PROBE_TOPIC });
    await leader.run({ autoCommit: false, eachMessage: () => Promise.resolve() });
    await Promise.race([leaderJoined, sleep(PROBE_DEADLINE_MS)]);

    const timedOut = new Promise<void>((resolve) => {
      follower.on(follower.events.REQUEST_TIMEOUT, () => {
        timeouts++;
        resolve();
      });
    });
    // The crash comes right after the timeout; disconnecting in between would race with it.
    const crashed = new Promise<void>((resolve) => {
      follower.on(follower.events.CRASH, () => resolve());
    });
    await follower.connect();
    await follower.subscribe({ topic: PROBE_TOPIC });
    await follower.run({ autoCommit: false, eachMessage: () => Promise.resolve() });
    await Promise.race([timedOut, sleep(PROBE_DEADLINE_MS)]);
    await Promise.race([crashed, sleep(5_000)]);
    return timeouts;
  } finally {
    await follower.disconnect().catch(() => undefined);
    await leader.disconnect().catch(() => undefined);
  }
}
