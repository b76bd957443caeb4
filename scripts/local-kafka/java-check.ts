import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { LocalKafkaError } from './errors';
import { findOnPath, isExecutableFile } from './executable-lookup';

const execFileAsync = promisify(execFile);

/** Kafka 4.x brokers need Java 17; 3.9 would run on 11, but one floor keeps the checks simple. */
export const MINIMUM_JAVA_MAJOR = 17;

/**
 * The Java major version from `java -version` output (which goes to stderr), e.g.
 * `openjdk version "17.0.15"` -> 17, `java version "1.8.0_392"` -> 8 (the pre-9 `1.x` scheme),
 * `openjdk version "21"` -> 21, `"22-ea"` -> 22. Undefined when no version string is found.
 */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const quoted = /version "([^"]+)"/.exec(versionOutput)?.[1];
  if (!quoted) return undefined;
  const parts = /^(\d+)(?:\.(\d+))?/.exec(quoted);
  if (!parts?.[1]) return undefined;
  const first = Number(parts[1]);
  if (first === 1 && parts[2] !== undefined) return Number(parts[2]);
  return first;
}

/** A java binary and what it reported. */
export interface JavaCandidate {
  path: string;
  /** Where it came from, for messages: `JAVA_HOME` or `PATH`. */
  source: 'JAVA_HOME' | 'PATH';
  major?: number;
  /** Why it could not be used, when it could not even report a version. */
  problem?: string;
}

/** The java binaries to consider, in order: $JAVA_HOME/bin/java, then `java` on PATH. */
export function javaCandidates(env: NodeJS.ProcessEnv): JavaCandidate[] {
  const candidates: JavaCandidate[] = [];
  const javaHome = env.JAVA_HOME?.trim();
  if (javaHome) {
    const fromHome = path.join(javaHome, 'bin', 'java');
    candidates.push(
      isExecutableFile(fromHome)
        ? { path: fromHome, source: 'JAVA_HOME' }
        : { path: fromHome, source: 'JAVA_HOME', problem: 'no executable there' },
    );
  }
  const onPath = findOnPath('java', env.PATH);
  if (onPath) candidates.push({ path: onPath, source: 'PATH' });
  return candidates;
}

async function probe(candidate: JavaCandidate): Promise<JavaCandidate> {
  if (candidate.problem) return candidate;
  try {
    const { stdout, stderr } = await execFileAsync(candidate.path, ['-version'], {
      timeout: 30_000,
    });
    const major = parseJavaMajorVersion(`${stderr}\n${stdout}`);
    return major === undefined
      ? { ...candidate, problem: 'could not read its version' }
      : { ...candidate, major };
  } catch (error) {
    return { ...candidate, problem: `\`java -version\` failed: ${(error as Error).message}` };
  }
}

/** Returns the first Java 17+ found, or throws a message saying what was found and how to fix it. */
export async function requireJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaCandidate> {
  const probed = await Promise.all(javaCandidates(env).map(probe));
  const usable = probed.find((c) => c.major !== undefined && c.major >= MINIMUM_JAVA_MAJOR);
  if (usable) return usable;
  const found = probed.map(
    (c) => `  - ${c.path} (from ${c.source}): ${c.problem ?? `Java ${c.major ?? '?'}, too old`}`,
  );
  throw new LocalKafkaError(
    [
      `Java ${MINIMUM_JAVA_MAJOR} or newer is required to run Kafka, but ` +
        (found.length === 0
          ? 'no `java` was found (JAVA_HOME is not set and there is no `java` on PATH).'
          : 'none was found:'),
      ...found,
      `Install a JDK/JRE ${MINIMUM_JAVA_MAJOR}+ (e.g. \`sudo apt-get install openjdk-17-jre-headless\`, ` +
        '`brew install openjdk@17`, or https://adoptium.net) and put its `bin` on PATH or set JAVA_HOME.',
    ].join('\n'),
  );
}
