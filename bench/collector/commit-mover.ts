/**
 * Moves the committed offsets of every bench group between two scrapes, for `--moving-commits`:
 * the case of groups that consume and commit all the time, where each snapshot finds every
 * commit changed and so reads every lagging offset's message time anew (issue 15). Each move
 * commits `committedOffset` shifted by the step, so it differs from the last one and stays
 * behind the log end.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { ShapeLayout } from './cluster-shape';
import { GroupOffsetCommitter } from './group-offset-committer';

/** Groups committed at once. */
const CONCURRENCY = 16;

export class CommitMover {
  private readonly committer: GroupOffsetCommitter;

  constructor(
    brokers: string[],
    private readonly layout: ShapeLayout,
    private readonly messagesPerPartition: number,
  ) {
    const kafka = new Kafka({
      clientId: 'kafka-otel-bench-commits',
      brokers,
      logLevel: logLevel.NOTHING,
    });
    this.committer = new GroupOffsetCommitter(kafka);
  }

  connect(): Promise<void> {
    return this.committer.connect();
  }

  disconnect(): Promise<void> {
    return this.committer.disconnect();
  }

  /** Commits every group at `(group + partition + step) mod messages`; rejects on any error. */
  async move(step: number): Promise<void> {
    const groups = [...this.layout.groups];
    const worker = async () => {
      for (let group = groups.shift(); group !== undefined; group = groups.shift()) {
        const offsets = new Map<number, number>();
        for (let p = 0; p < group.topic.partitions; p++) {
          offsets.set(p, (group.index + p + step) % this.messagesPerPartition);
        }
        await this.committer.commit(group.name, group.topic.name, offsets);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
}
