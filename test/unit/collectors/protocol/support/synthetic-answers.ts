/**
 * Large synthetic answers, in the shape a big cluster sends, for decode-speed tests: encoded with
 * the package's own WireWriter (whose output the codec tests compare with Kafka's serializers).
 */
import { WireWriter } from '../../../../../src/collectors/protocol/wire-writer';

/** Metadata v12: `brokers` brokers, `topics` topics of `partitions` partitions, RF 3. */
export function largeMetadataAnswer(brokers: number, topics: number, partitions: number): Buffer {
  const writer = new WireWriter().int32(0).compactArrayLength(brokers);
  for (let b = 1; b <= brokers; b++) {
    writer.int32(b).compactString(`kafka-${b}.example.internal`).int32(9092);
    writer.compactNullableString(`rack-${b % 3}`).emptyTaggedFields();
  }
  writer.compactNullableString('synthetic-cluster-id').int32(1).compactArrayLength(topics);
  for (let t = 0; t < topics; t++) {
    writer.int16(0).compactNullableString(`service-${t}.events.v1`);
    writer
      .int32(t)
      .int32(t)
      .int32(t)
      .int32(t + 1); // topic id
    writer.bool(false).compactArrayLength(partitions);
    for (let p = 0; p < partitions; p++) {
      const leader = ((t + p) % brokers) + 1;
      const replicas = [leader, (leader % brokers) + 1, ((leader + 1) % brokers) + 1];
      writer.int16(0).int32(p).int32(leader).int32(7);
      writer.compactInt32Array(replicas).compactInt32Array(replicas).compactInt32Array([]);
      writer.emptyTaggedFields();
    }
    writer.int32(-2147483648).emptyTaggedFields();
  }
  return writer.emptyTaggedFields().toBuffer();
}

/** OffsetFetch v8: `groups` groups, each with `partitions` committed partitions of one topic. */
export function largeOffsetFetchAnswer(groups: number, partitions: number): Buffer {
  const writer = new WireWriter().int32(0).compactArrayLength(groups);
  for (let g = 0; g < groups; g++) {
    writer
      .compactString(`group-${g}`)
      .compactArrayLength(1)
      .compactString(`service-${g}.events.v1`);
    writer.compactArrayLength(partitions);
    for (let p = 0; p < partitions; p++) {
      writer
        .int32(p)
        .int64(1_000_000 + p)
        .int32(7)
        .compactNullableString('')
        .int16(0);
      writer.emptyTaggedFields();
    }
    writer.emptyTaggedFields().int16(0).emptyTaggedFields();
  }
  return writer.emptyTaggedFields().toBuffer();
}
