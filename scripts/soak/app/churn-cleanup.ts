import type { Admin } from 'kafkajs';
import type { ChurnNames } from './churn-names';
import type { SoakCounters } from './soak-counters';
import { withTimeout } from './stop-signal';

type Doomed = { kind: 'topic' | 'group'; name: string };

/** More deletes than this waiting for a retry means the cluster is not coming back. */
const MAX_PENDING = 100;
const ADMIN_TIMEOUT_MS = 30_000;

/** Kafka's answer when what we delete is already gone: the delete has happened. */
const ALREADY_GONE = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'GROUP_ID_NOT_FOUND']);

/**
 * The error type names in a KafkaJS admin error: its own, the per-group ones of a DeleteGroups
 * failure, or the last attempt's when KafkaJS gave up retrying (deleting a topic that is not
 * there is retried, as UNKNOWN_TOPIC_OR_PARTITION is retriable).
 */
function errorTypes(error: unknown): string[] {
  type AdminError = {
    type?: string;
    groups?: Array<{ error?: { type?: string } }>;
    cause?: unknown;
  };
  // The retry wrapper's cause is the last attempt's error; a short chain, bounded anyway.
  let e = error as AdminError;
  for (let depth = 0; depth < 5 && e.type === undefined && !e.groups && e.cause; depth++) {
    e = e.cause;
  }
  return [e.type, ...(e.groups ?? []).map((g) => g.error?.type)].filter(
    (type): type is string => type !== undefined,
  );
}

function isAlreadyGone(error: unknown): boolean {
  const types = errorTypes(error);
  return types.length > 0 && types.every((type) => ALREADY_GONE.has(type));
}

/**
 * Deletes churn topics and groups through the app's admin client, and keeps the ones that could
 * not be deleted (a broker restarting) for a retry on the next churn cycle, so that none is left
 * behind for good: a topic left over would rightly stay in the cluster's series.
 */
export class ChurnCleanup {
  private readonly pending: Doomed[] = [];
  topicsDeleted = 0;
  groupsDeleted = 0;

  constructor(
    private readonly admin: Admin,
    private readonly names: ChurnNames,
    private readonly counters: SoakCounters,
  ) {}

  async deleteTopic(name: string): Promise<void> {
    await this.delete({ kind: 'topic', name });
  }

  async deleteGroup(name: string): Promise<void> {
    await this.delete({ kind: 'group', name });
  }

  /** Tries every waiting delete once more. */
  async retryPending(): Promise<void> {
    const waiting = this.pending.splice(0, this.pending.length);
    for (const doomed of waiting) await this.delete(doomed);
  }

  private async delete(doomed: Doomed): Promise<void> {
    try {
      if (doomed.kind === 'topic') {
        await withTimeout(
          this.admin.deleteTopics({ topics: [doomed.name], timeout: 15_000 }),
          ADMIN_TIMEOUT_MS,
          `deleting topic ${doomed.name}`,
        );
      } else {
        await withTimeout(
          this.admin.deleteGroups([doomed.name]),
          ADMIN_TIMEOUT_MS,
          `deleting group ${doomed.name}`,
        );
      }
    } catch (error) {
      if (!isAlreadyGone(error)) {
        this.counters.error(`churn:delete-${doomed.kind}`, error);
        if (this.pending.length < MAX_PENDING) this.pending.push(doomed);
        else this.counters.error('churn:delete-abandoned', doomed.name);
        return;
      }
    }
    this.names.deleted(doomed.name);
    if (doomed.kind === 'topic') this.topicsDeleted += 1;
    else this.groupsDeleted += 1;
  }
}
