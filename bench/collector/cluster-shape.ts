/**
 * The cluster a collector benchmark measures: P partitions and G consumer groups, laid out the
 * same way every time so that a second run finds the first run's topics and groups and reuses
 * them. Topics hold at most 100 partitions and are shared by 5 groups each; every group commits
 * an offset on every partition of its one topic. 6000x300 is thus 60 topics of 100 partitions
 * and 30,000 group-partitions.
 */

export interface ClusterShape {
  partitions: number;
  groups: number;
}

/** Most partitions per topic. */
export const MAX_PARTITIONS_PER_TOPIC = 100;
/** Groups sharing one topic (when there are enough topics to go round). */
export const GROUPS_PER_TOPIC = 5;
/** Every bench topic and group name starts with this; other names on a cluster are left alone. */
export const SHAPE_NAME_PREFIX = 'bench-collector-';

export interface ShapeTopic {
  name: string;
  partitions: number;
}

export interface ShapeGroup {
  name: string;
  /** 0-based, also the seed of its committed offsets. */
  index: number;
  topic: ShapeTopic;
}

export interface ShapeLayout {
  shape: ClusterShape;
  topics: ShapeTopic[];
  groups: ShapeGroup[];
  /** Sum over groups of the partitions they committed on. */
  groupPartitions: number;
}

/** `6000x300` -> { partitions: 6000, groups: 300 }; throws a message meant for --shape. */
export function parseShape(text: string): ClusterShape {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  const partitions = Number(match?.[1]);
  const groups = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(partitions) || !Number.isSafeInteger(groups)) {
    throw new Error(`expected PARTITIONSxGROUPS such as 6000x300, got '${text}'`);
  }
  if (partitions < 1 || groups < 1) {
    throw new Error(`needs at least 1 partition and 1 group, got '${text}'`);
  }
  return { partitions, groups };
}

export function formatShape(shape: ClusterShape): string {
  return `${shape.partitions}x${shape.groups}`;
}

function pad(index: number, count: number): string {
  return String(index).padStart(String(Math.max(count - 1, 0)).length, '0');
}

/**
 * The topics and groups of `shape`. Names carry the shape, so two shapes never mistake each
 * other's topics for their own.
 */
export function layoutShape(shape: ClusterShape): ShapeLayout {
  const topicCount = Math.min(
    shape.partitions,
    Math.max(
      Math.ceil(shape.partitions / MAX_PARTITIONS_PER_TOPIC),
      Math.ceil(shape.groups / GROUPS_PER_TOPIC),
    ),
  );
  const base = Math.floor(shape.partitions / topicCount);
  const extra = shape.partitions % topicCount;
  const prefix = `${SHAPE_NAME_PREFIX}${formatShape(shape)}`;
  const topics = Array.from({ length: topicCount }, (_, i) => ({
    name: `${prefix}-t${pad(i, topicCount)}`,
    partitions: base + (i < extra ? 1 : 0),
  }));
  const groups = Array.from({ length: shape.groups }, (_, index) => {
    const topic = topics[index % topicCount] as ShapeTopic;
    return { name: `${prefix}-g${pad(index, shape.groups)}`, index, topic };
  });
  const groupPartitions = groups.reduce((sum, group) => sum + group.topic.partitions, 0);
  return { shape, topics, groups, groupPartitions };
}

/**
 * The offset group `group` commits on `partition` of a topic holding `messages` records per
 * partition: always behind the end, by 1 to `messages` records, so every lag is positive and
 * the lags differ between partitions and groups.
 */
export function committedOffset(group: number, partition: number, messages: number): number {
  return (group + partition) % messages;
}
