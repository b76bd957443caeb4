/** The settlement group's lag on the payments topic, for the progress line. */
import type { Admin } from 'kafkajs';
import { GROUP, TOPIC } from '../payments';

/** Messages not yet committed by the group, summed over partitions (undefined if unknown). */
export async function settlementLag(admin: Admin): Promise<number | undefined> {
  try {
    const [ends, [committed]] = await Promise.all([
      admin.fetchTopicOffsets(TOPIC),
      admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }),
    ]);
    let lag = 0;
    for (const end of ends) {
      const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset;
      // No commit yet: the group starts from the beginning (fromBeginning), so all of it.
      const from = offset === undefined || offset === '-1' ? Number(end.low) : Number(offset);
      lag += Math.max(0, Number(end.high) - from);
    }
    return lag;
  } catch {
    return undefined;
  }
}
