import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireJava } from '../local-kafka/java-check';
import { DEFAULT_KAFKA_VERSION, KAFKA_3_9_VERSION } from '../local-kafka/kafka-versions';
import { ensureKafkaLibs } from '../local-kafka/maven-resolve';

const execFileAsync = promisify(execFile);

/**
 * The kafka-clients that writes the fixture, and the older line that must agree with it on every
 * version it knows. The launcher's versions, so the jars its Kafka runs from are the ones used
 * (and already cached wherever the integration suite has run).
 */
export const FIXTURE_KAFKA_VERSION = DEFAULT_KAFKA_VERSION;
export const CROSS_CHECK_KAFKA_VERSION = KAFKA_3_9_VERSION;

/** The Java program that serialises every vector with Kafka's own classes. */
export const GENERATOR_SOURCE = path.join(__dirname, 'VectorGen.java');

/**
 * Compiling the source in memory and running it takes a few seconds; this bounds a JVM that
 * hangs (a shared CI machine can be slow, so the bound is generous).
 */
const GENERATOR_TIMEOUT_MS = 180_000;

/**
 * Most of a run is javac compiling the source in memory: for a job of seconds the C1 compiler
 * alone and the serial collector need about half the CPU of the default tiered/G1 setup, which
 * matters on a shared 2-core CI machine.
 */
const SHORT_RUN_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** What one kafka-clients version made of the generator. */
export interface GeneratedVectors {
  kafkaVersion: string;
  /** Vector name -> lowercase hex, in the generator's (and the fixture's) order. */
  vectors: Record<string, string>;
  /** Vectors whose message version this kafka-clients does not know, in order. */
  unsupported: string[];
}

/** An output line: `<name> <hex>` or `<name> unsupported` (not hex: no ambiguity). */
const LINE = /^(\S+) (unsupported|[0-9a-f]*)$/;

/** Parses the generator's stdout; anything else on a line means the program and this disagree. */
export function parseGeneratorOutput(kafkaVersion: string, stdout: string): GeneratedVectors {
  const result: GeneratedVectors = { kafkaVersion, vectors: {}, unsupported: [] };
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [, name, value] = LINE.exec(line) ?? [];
    if (name === undefined || value === undefined) {
      throw new Error(`VectorGen printed an unexpected line: ${line.slice(0, 200)}`);
    }
    if (name in result.vectors || result.unsupported.includes(name)) {
      throw new Error(`VectorGen printed ${name} twice`);
    }
    if (value === 'unsupported') result.unsupported.push(name);
    else result.vectors[name] = value;
  }
  return result;
}

/**
 * Runs VectorGen.java with Java 17's single-file source launcher against the jars of one Kafka
 * version, taken from the launcher's cache (scripts/local-kafka: Maven Central, once, then
 * KAFKA_OTEL_CACHE_DIR or .cache/). kafka-clients is among the broker's jars, so a machine that
 * has run `npm run kafka` or the integration suite already has everything.
 */
export async function generateVectors(
  kafkaVersion: string,
  log: (line: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<GeneratedVectors> {
  const java = await requireJava(env);
  const libs = await ensureKafkaLibs(kafkaVersion, log, env);
  const classpath = path.join(libs.dir, '*');
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      java.path,
      [...SHORT_RUN_JVM_OPTIONS, '-cp', classpath, GENERATOR_SOURCE],
      { env, timeout: GENERATOR_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
    ));
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    const detail = stderr?.trim() ? stderr.trim().split('\n').slice(-30).join('\n') : message;
    throw new Error(`VectorGen failed with the Kafka ${kafkaVersion} jars:\n${detail}`, {
      cause: error,
    });
  }
  return parseGeneratorOutput(kafkaVersion, stdout);
}
