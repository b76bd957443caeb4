import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LocalKafkaError } from './errors';
import { findOnPath } from './executable-lookup';
import { withFileLock } from './file-lock';
import { loggingSetupFor, type LoggingSetup, type MavenArtifact } from './kafka-versions';
import { MAVEN_DEPENDENCY_PLUGIN_VERSION, renderConnectPom, renderPom } from './maven-pom';
import { connectVersionCacheDir, javaAgentCacheDir, kafkaVersionCacheDir } from './paths';

/** Written only after a complete copy, so an interrupted download is redone, never half-used. */
interface CompletionMarker {
  /** What the folder holds, e.g. `Kafka 4.4.0` or `Kafka Connect 4.3.1`. */
  contents: string;
  /** slf4j line of a classpath (absent for a standalone jar). */
  slf4jMajor?: 1 | 2;
  jarCount: number;
  resolvedAt: string;
}

const MARKER_FILE = 'complete.json';

export interface KafkaLibs {
  /** Folder of jars; the JVM gets `<dir>/*` as its classpath. */
  dir: string;
  logging: LoggingSetup;
}

type Log = (line: string) => void;

function readMarker(file: string): CompletionMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CompletionMarker;
  } catch {
    return undefined;
  }
}

function writeMarker(dir: string, marker: CompletionMarker): void {
  fs.writeFileSync(path.join(dir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Major version of the slf4j-api jar Maven picked, read from its file name. */
function slf4jMajorIn(dir: string): 1 | 2 | undefined {
  const jar = fs.readdirSync(dir).find((f) => /^slf4j-api-\d/.test(f));
  const major = jar ? Number(/^slf4j-api-(\d+)/.exec(jar)?.[1]) : undefined;
  return major === 1 || major === 2 ? major : undefined;
}

/** `mvn`, or a message saying why it is needed once and how to install it. */
function requireMaven(what: string, targetDir: string, env: NodeJS.ProcessEnv): string {
  const mvn = findOnPath('mvn', env.PATH);
  if (mvn) return mvn;
  throw new LocalKafkaError(
    [
      `Maven (\`mvn\`) is needed once to download the ${what} jars into ${targetDir},`,
      'but it is not on PATH.',
      'Install Maven 3.6.3+ (e.g. `sudo apt-get install maven`, `brew install maven`, or',
      'https://maven.apache.org/download.cgi) and run the command again; later runs use the cache.',
    ].join('\n'),
  );
}

function runMaven(mvn: string, args: string[], cwd: string, what: string): Promise<void> {
  const fullArgs = ['-q', '-B', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(mvn, fullArgs, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) =>
      reject(new LocalKafkaError(`Could not run ${mvn}: ${error.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const tail = output.trim().split('\n').slice(-30).join('\n');
      reject(
        new LocalKafkaError(
          `Maven could not resolve the ${what} jars (\`mvn ${fullArgs.join(' ')}\` exited with ${code}).\n` +
            `${tail}\n` +
            'Check network access to Maven Central (or a mirror/proxy in ~/.m2/settings.xml) and that the version exists.',
        ),
      );
    });
  });
}

/** A JVM's classpath to resolve: what it is, where it goes, the pom that lists it. */
interface ClasspathSpec {
  /** For messages and the marker, e.g. `Kafka 4.4.0`. */
  what: string;
  /** Kafka or Connect release: decides the logging backend. */
  version: string;
  dir: string;
  /** A jar that must be in the folder for it to count as complete. */
  requiredJar: string;
  renderPom: (logging: LoggingSetup) => string;
}

function cachedClasspath(spec: ClasspathSpec): KafkaLibs | undefined {
  const libs = path.join(spec.dir, 'libs');
  const marker = readMarker(path.join(spec.dir, MARKER_FILE));
  if (!marker || !fs.existsSync(path.join(libs, spec.requiredJar))) return undefined;
  return { dir: libs, logging: loggingSetupFor(spec.version, marker.slf4jMajor ?? 1) };
}

/**
 * Makes sure a classpath is in the cache and returns its folder. Maven is only needed (and only
 * looked for) on a cold cache; a warm cache works without it.
 */
async function ensureClasspath(
  spec: ClasspathSpec,
  log: Log,
  env: NodeJS.ProcessEnv,
): Promise<KafkaLibs> {
  const hit = cachedClasspath(spec);
  if (hit) return hit;
  const mvn = requireMaven(spec.what, spec.dir, env);

  return withFileLock(`${spec.dir}.lock`, `the ${spec.what} jar cache`, async () => {
    // Another launcher may have filled the cache while we waited for the lock.
    const filled = cachedClasspath(spec);
    if (filled) return filled;
    fs.mkdirSync(spec.dir, { recursive: true });
    fs.rmSync(path.join(spec.dir, MARKER_FILE), { force: true });
    const partial = path.join(spec.dir, 'libs.partial');
    const libs = path.join(spec.dir, 'libs');
    const pomPath = path.join(spec.dir, 'pom.xml');

    log(`Downloading ${spec.what} jars with Maven into ${libs} (first run only)...`);
    let slf4jMajor: 1 | 2 = 1;
    for (let attempt = 1; ; attempt++) {
      fs.rmSync(partial, { recursive: true, force: true });
      fs.writeFileSync(pomPath, spec.renderPom(loggingSetupFor(spec.version, slf4jMajor)));
      await runMaven(
        mvn,
        [
          '-f',
          pomPath,
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${partial}`,
        ],
        spec.dir,
        spec.what,
      );
      const found = slf4jMajorIn(partial);
      // A future 4.x may move to slf4j 2, whose binding is a different artifact: switch and redo.
      if (
        spec.version.startsWith('4.') &&
        found !== undefined &&
        found !== slf4jMajor &&
        attempt === 1
      ) {
        slf4jMajor = found;
        continue;
      }
      break;
    }
    if (!fs.existsSync(path.join(partial, spec.requiredJar))) {
      throw new LocalKafkaError(`Maven finished but ${spec.requiredJar} is missing in ${partial}.`);
    }
    fs.rmSync(libs, { recursive: true, force: true });
    fs.renameSync(partial, libs);
    writeMarker(spec.dir, {
      contents: spec.what,
      slf4jMajor,
      jarCount: fs.readdirSync(libs).filter((f) => f.endsWith('.jar')).length,
      resolvedAt: new Date().toISOString(),
    });
    return { dir: libs, logging: loggingSetupFor(spec.version, slf4jMajor) };
  });
}

/** The broker jars of `kafkaVersion` (kafka_2.13 and its runtime dependencies, plus logging). */
export function ensureKafkaLibs(
  kafkaVersion: string,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KafkaLibs> {
  return ensureClasspath(
    {
      what: `Kafka ${kafkaVersion}`,
      version: kafkaVersion,
      dir: kafkaVersionCacheDir(kafkaVersion, env),
      requiredJar: `kafka_2.13-${kafkaVersion}.jar`,
      renderPom: (logging) => renderPom(kafkaVersion, logging),
    },
    log,
    env,
  );
}

/** A Connect worker's jars: connect-runtime, -file, -json and -basic-auth-extension of one version. */
export function ensureConnectLibs(
  connectVersion: string,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KafkaLibs> {
  return ensureClasspath(
    {
      what: `Kafka Connect ${connectVersion}`,
      version: connectVersion,
      dir: connectVersionCacheDir(connectVersion, env),
      // The artifact added last: a cache resolved before it was added is resolved again, once.
      requiredJar: `connect-basic-auth-extension-${connectVersion}.jar`,
      renderPom: (logging) => renderConnectPom(connectVersion, logging),
    },
    log,
    env,
  );
}

/** One self-contained jar (a Java agent): coordinates plus the classifier that names the file. */
export interface StandaloneJar extends MavenArtifact {
  classifier: string;
}

export function standaloneJarFileName(jar: StandaloneJar): string {
  return `${jar.artifactId}-${jar.version}-${jar.classifier}.jar`;
}

/**
 * Copies one jar, without dependencies, into the cache and returns its path. Used for Java
 * agents, which are shaded jars meant to be used alone. The marker is written after the jar is
 * in place, so a half-downloaded jar is never handed to a JVM.
 */
export async function ensureStandaloneJar(
  jar: StandaloneJar,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const dir = javaAgentCacheDir(jar.artifactId, jar.version, env);
  const file = path.join(dir, standaloneJarFileName(jar));
  const what = `${jar.artifactId} ${jar.version}`;
  const isCached = (): boolean =>
    readMarker(path.join(dir, MARKER_FILE)) !== undefined && fs.existsSync(file);
  if (isCached()) return file;
  const mvn = requireMaven(what, dir, env);

  return withFileLock(`${dir}.lock`, `the ${what} jar cache`, async () => {
    if (isCached()) return file;
    fs.mkdirSync(dir, { recursive: true });
    fs.rmSync(path.join(dir, MARKER_FILE), { force: true });
    const partial = path.join(dir, 'partial');
    fs.rmSync(partial, { recursive: true, force: true });
    log(`Downloading ${what} (${jar.classifier}) with Maven into ${dir} (first run only)...`);
    await runMaven(
      mvn,
      [
        // A goal of its own needs no project: the artifact is named on the command line.
        `org.apache.maven.plugins:maven-dependency-plugin:${MAVEN_DEPENDENCY_PLUGIN_VERSION}:copy`,
        `-Dartifact=${jar.groupId}:${jar.artifactId}:${jar.version}:jar:${jar.classifier}`,
        `-DoutputDirectory=${partial}`,
      ],
      dir,
      what,
    );
    const copied = path.join(partial, path.basename(file));
    if (!fs.existsSync(copied)) {
      throw new LocalKafkaError(
        `Maven finished but ${path.basename(file)} is missing in ${partial}.`,
      );
    }
    fs.renameSync(copied, file);
    fs.rmSync(partial, { recursive: true, force: true });
    writeMarker(dir, {
      contents: `${what} ${jar.classifier}`,
      jarCount: 1,
      resolvedAt: new Date().toISOString(),
    });
    return file;
  });
}
