/**
 * `npm run vectors [-- --write | --check]`: the protocol byte vectors of
 * test/unit/collectors/protocol/fixtures/java-vectors.ts, made again by Kafka's own serialisers
 * (VectorGen.java, run against the kafka-clients jars of the launcher's cache).
 *   (no option)  prints the regenerated file on stdout
 *   --write      rewrites the file
 *   --check      exits 1 when the file differs from what kafka-clients writes (the fixture's
 *                version, then the cross-check of the 3.9 line on the versions it knows)
 * Progress and differences go to stderr.
 */
import fs from 'node:fs';
import { JAVA_VECTORS } from '../../test/unit/collectors/protocol/fixtures/java-vectors';
import {
  CROSS_CHECK_KAFKA_VERSION,
  FIXTURE_KAFKA_VERSION,
  generateVectors,
  type GeneratedVectors,
} from './generate-vectors';
import { VECTORS_FILE, headerFourOnlyNames, renderVectorsFile } from './vectors-file';

const USAGE = 'Usage: npm run vectors [-- --write | --check]\n';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** One line per vector that is not the same in both, naming how it differs. */
function differences(expected: Record<string, string>, actual: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const [name, hex] of Object.entries(expected)) {
    if (!(name in actual)) lines.push(`${name}: not generated`);
    else if (actual[name] !== hex) lines.push(`${name}: different bytes`);
  }
  for (const name of Object.keys(actual)) {
    if (!(name in expected)) lines.push(`${name}: generated but not in the file`);
  }
  return lines;
}

/** The fixture's jar must write every vector; a version it does not know is a broken generator. */
async function fixtureVectors(): Promise<GeneratedVectors> {
  const generated = await generateVectors(FIXTURE_KAFKA_VERSION, log);
  if (generated.unsupported.length > 0) {
    throw new Error(
      `kafka-clients ${FIXTURE_KAFKA_VERSION} does not know: ${generated.unsupported.join(', ')}`,
    );
  }
  return generated;
}

async function check(current: string): Promise<number> {
  const fixture = await fixtureVectors();
  const problems = differences(JAVA_VECTORS, fixture.vectors).map(
    (line) => `kafka-clients ${FIXTURE_KAFKA_VERSION}: ${line}`,
  );
  if (problems.length === 0 && (await renderVectorsFile(current, fixture.vectors)) !== current) {
    problems.push(`${VECTORS_FILE} is not laid out as --write writes it`);
  }

  const older = await generateVectors(CROSS_CHECK_KAFKA_VERSION, log);
  const known = Object.fromEntries(
    Object.entries(JAVA_VECTORS).filter(([name]) => !older.unsupported.includes(name)),
  );
  problems.push(
    ...differences(known, older.vectors).map(
      (line) => `kafka-clients ${CROSS_CHECK_KAFKA_VERSION}: ${line}`,
    ),
  );
  const listed = headerFourOnlyNames(current);
  if (listed.join(',') !== older.unsupported.join(',')) {
    problems.push(
      `the header lists as 4.x-only: ${listed.join(', ')}; ` +
        `kafka-clients ${CROSS_CHECK_KAFKA_VERSION} cannot write: ${older.unsupported.join(', ')}`,
    );
  }

  for (const line of problems) log(line);
  if (problems.length > 0) return 1;
  log(
    `${VECTORS_FILE}: all ${Object.keys(JAVA_VECTORS).length} vectors are what kafka-clients ` +
      `${FIXTURE_KAFKA_VERSION} writes; ${CROSS_CHECK_KAFKA_VERSION} agrees on the ` +
      `${Object.keys(known).length} it knows`,
  );
  return 0;
}

async function main(args: string[]): Promise<number> {
  const mode = args[0];
  if (args.length > 1 || (mode !== undefined && mode !== '--write' && mode !== '--check')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const current = fs.readFileSync(VECTORS_FILE, 'utf8');
  if (mode === '--check') return check(current);

  const rendered = await renderVectorsFile(current, (await fixtureVectors()).vectors);
  if (mode === undefined) {
    process.stdout.write(rendered);
  } else if (rendered === current) {
    log(`${VECTORS_FILE}: up to date`);
  } else {
    fs.writeFileSync(VECTORS_FILE, rendered);
    log(`${VECTORS_FILE}: rewritten (review the diff: the codec tests assert these bytes)`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
