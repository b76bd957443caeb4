/**
 * What the soak driver and its app say to each other over the Node IPC channel. Types only: the
 * app is transpiled on its own (see ../app-program.ts) and imports nothing from the driver.
 */

/** The app's own view of itself at one moment. */
export interface AppStats {
  /** process.memoryUsage() as read when asked: no GC is forced. */
  memory: NodeJS.MemoryUsage;
  /**
   * V8's used heap right after the most recent major (mark-sweep-compact) GC the app observed:
   * the live data, without the garbage a reading between collections also counts. Undefined
   * until V8 has run one.
   */
  heapAfterMajorGc: number | undefined;
  /** Major GCs observed since the app started. */
  majorGcs: number;
  /** Messages the producers had acknowledged. */
  sent: number;
  /** Messages handed to eachMessage / eachBatch handlers. */
  consumed: number;
  /** Failures by kind (`send:plain`, `churn:create-topic`, `kafkajs-log`, ...). */
  errors: Record<string, number>;
  /** The last message of each error kind, for the run's report. */
  lastErrors: Record<string, string>;
  churn: ChurnStats;
}

export interface ChurnStats {
  /** Churned topics that were created, used and deleted. */
  topicsDeleted: number;
  /** Short-lived groups that joined, consumed, left and were deleted. */
  groupsDeleted: number;
  /** Churn topics and groups that exist now (being used, or waiting for a retried delete). */
  liveNames: string[];
  /** Churn topics and groups deleted within the last {@link RECENTLY_DELETED_MS}. */
  recentlyDeletedNames: string[];
}

/**
 * How long a deleted name counts as recent: the collector may serve a snapshot taken just before
 * the delete (the SDK reuses one for 5 s) to a scrape that takes up to 8 s; past this window a
 * series naming a deleted topic or group is stale.
 */
export const RECENTLY_DELETED_MS = 30_000;

/** Every churn topic and group name starts with one of these (see topic-churn.ts, group-churn.ts). */
export const CHURN_TOPIC_PREFIX = 'soak-churn-';
export const SHORT_GROUP_PREFIX = 'soak-short-';

export type DriverMessage = { type: 'stats'; id: number } | { type: 'stop' };

export type AppMessage =
  | { type: 'ready' }
  | { type: 'stats'; id: number; stats: AppStats }
  | { type: 'failed'; message: string };
