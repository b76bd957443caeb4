import { RECENTLY_DELETED_MS } from './stats-protocol';

/**
 * The churn topics and groups that exist now, and those deleted lately. The driver compares the
 * exported series with them: a cluster series naming a topic or group deleted longer ago than
 * {@link RECENTLY_DELETED_MS} is stale. Both collections are pruned, so they hold a handful of
 * names however long the app runs.
 */
export class ChurnNames {
  private readonly live = new Set<string>();
  private readonly deletedAt = new Map<string, number>();

  created(name: string): void {
    this.live.add(name);
  }

  deleted(name: string): void {
    this.live.delete(name);
    this.deletedAt.set(name, Date.now());
  }

  get liveNames(): string[] {
    return [...this.live];
  }

  get recentlyDeletedNames(): string[] {
    const cutoff = Date.now() - RECENTLY_DELETED_MS;
    for (const [name, at] of this.deletedAt) {
      if (at < cutoff) this.deletedAt.delete(name);
    }
    return [...this.deletedAt.keys()];
  }
}
