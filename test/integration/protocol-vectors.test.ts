/**
 * The protocol byte vectors the codec tests compare against
 * (test/unit/collectors/protocol/fixtures/java-vectors.ts) must be what Kafka's own serialisers
 * write: scripts/protocol-vectors/VectorGen.java is run once per kafka-clients version and its
 * output compared with the file. This lives in the integration suite, not the unit suite,
 * because it needs Java and the Kafka jars; the integration suite has both (its global setup
 * runs the launcher's Kafka from the same jar cache).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CROSS_CHECK_KAFKA_VERSION,
  FIXTURE_KAFKA_VERSION,
  generateVectors,
  type GeneratedVectors,
} from '../../scripts/protocol-vectors/generate-vectors';
import {
  VECTORS_FILE,
  headerFourOnlyNames,
  renderVectorsFile,
} from '../../scripts/protocol-vectors/vectors-file';
import { JAVA_VECTORS, type VectorName } from '../unit/collectors/protocol/fixtures/java-vectors';

/** A cold jar cache means a Maven download first: a bound, not an expectation. */
const GENERATION_BOUND_MS = 600_000;

const runs = new Map<string, Promise<GeneratedVectors>>();

/** One JVM per kafka-clients version for the whole file (compiling the source is the slow part). */
function vectorsOf(kafkaVersion: string): Promise<GeneratedVectors> {
  let run = runs.get(kafkaVersion);
  if (!run) {
    run = generateVectors(kafkaVersion, (line) => console.log(`[protocol-vectors] ${line}`));
    runs.set(kafkaVersion, run);
  }
  return run;
}

/** The header comment as one line of prose, whatever its wrapping. */
function headerProse(fileText: string): string {
  return fileText.slice(0, fileText.indexOf('*/')).replace(/\n\s*\*\s*/g, ' ');
}

const REGENERATE = 'see `npm run vectors -- --check`; `-- --write` regenerates the file';

describe('protocol byte vectors (java-vectors.ts)', () => {
  it(
    `are byte for byte what kafka-clients ${FIXTURE_KAFKA_VERSION} writes, in the file's order`,
    async () => {
      const generated = await vectorsOf(FIXTURE_KAFKA_VERSION);
      expect(generated.unsupported).toEqual([]);
      expect(Object.keys(generated.vectors)).toEqual(Object.keys(JAVA_VECTORS));
      for (const [name, hex] of Object.entries(JAVA_VECTORS)) {
        expect(generated.vectors[name], `${name}: ${REGENERATE}`).toBe(hex);
      }
      expect(headerProse(fs.readFileSync(VECTORS_FILE, 'utf8'))).toContain(
        `kafka-clients ${FIXTURE_KAFKA_VERSION}`,
      );
    },
    GENERATION_BOUND_MS,
  );

  it(
    'are left exactly as they are by `npm run vectors -- --write`',
    async () => {
      const current = fs.readFileSync(VECTORS_FILE, 'utf8');
      const generated = await vectorsOf(FIXTURE_KAFKA_VERSION);
      expect(await renderVectorsFile(current, generated.vectors)).toBe(current);
    },
    GENERATION_BOUND_MS,
  );

  it(
    `get the same bytes from kafka-clients ${CROSS_CHECK_KAFKA_VERSION} for every version it knows; the header lists the others`,
    async () => {
      const current = fs.readFileSync(VECTORS_FILE, 'utf8');
      const older = await vectorsOf(CROSS_CHECK_KAFKA_VERSION);
      expect(older.unsupported).toEqual(headerFourOnlyNames(current));
      const known = Object.keys(JAVA_VECTORS).filter((name) => !older.unsupported.includes(name));
      expect(Object.keys(older.vectors)).toEqual(known);
      for (const name of known) {
        expect(
          older.vectors[name],
          `${name}: ${CROSS_CHECK_KAFKA_VERSION} writes other bytes`,
        ).toBe(JAVA_VECTORS[name as VectorName]);
      }
      expect(headerProse(current)).toContain(
        `The ${CROSS_CHECK_KAFKA_VERSION} jar produces identical bytes for every vector`,
      );
    },
    GENERATION_BOUND_MS,
  );
});
