import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LocalKafkaError } from './errors';
import { findOnPath } from './executable-lookup';
import { withFileLock } from './file-lock';
import { loggingSetupFor, type LoggingSetup } from './kafka-versions';
import { renderPom } from './maven-pom';
import { kafkaVersionCacheDir } from './paths';

/** Written only after a complete copy, so an interrupted download is redone, never half-used. */
interface CompletionMarker {
  kafkaVersion: string;
  slf4jMajor: 1 | 2;
  jarCount: number;
  resolvedAt: string;
}

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

function cached(versionDir: string, kafkaVersion: string): KafkaLibs | undefined {
  const libs = path.join(versionDir, 'libs');
  const marker = readMarker(path.join(versionDir, 'complete.json'));
  if (!marker || !fs.existsSync(path.join(libs, `kafka_2.13-${kafkaVersion}.jar`)))
    return undefined;
  return { dir: libs, logging: loggingSetupFor(kafkaVersion, marker.slf4jMajor) };
}

/** Major version of the slf4j-api jar Maven picked, read from its file name. */
function slf4jMajorIn(dir: string): 1 | 2 | undefined {
  const jar = fs.readdirSync(dir).find((f) => /^slf4j-api-\d/.test(f));
  const major = jar ? Number(/^slf4j-api-(\d+)/.exec(jar)?.[1]) : undefined;
  return major === 1 || major === 2 ? major : undefined;
}

function runMaven(mvn: string, pomPath: string, outputDir: string): Promise<void> {
  const args = [
    '-q',
    '-B',
    '-f',
    pomPath,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${outputDir}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(mvn, args, {
      cwd: path.dirname(pomPath),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
          `Maven could not resolve the Kafka jars (\`mvn ${args.join(' ')}\` exited with ${code}).\n` +
            `${tail}\n` +
            'Check network access to Maven Central (or a mirror/proxy in ~/.m2/settings.xml) and that the version exists.',
        ),
      );
    });
  });
}

/**
 * Makes sure the jars of `kafkaVersion` are in the cache and returns their folder. Maven is only
 * needed (and only looked for) on a cold cache; a warm cache works without it.
 */
export async function ensureKafkaLibs(
  kafkaVersion: string,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<KafkaLibs> {
  const versionDir = kafkaVersionCacheDir(kafkaVersion, env);
  const hit = cached(versionDir, kafkaVersion);
  if (hit) return hit;

  const mvn = findOnPath('mvn', env.PATH);
  if (!mvn) {
    throw new LocalKafkaError(
      [
        `Maven (\`mvn\`) is needed once to download the Kafka ${kafkaVersion} jars into ${versionDir},`,
        'but it is not on PATH.',
        'Install Maven 3.6.3+ (e.g. `sudo apt-get install maven`, `brew install maven`, or',
        'https://maven.apache.org/download.cgi) and run the command again; later runs use the cache.',
      ].join('\n'),
    );
  }

  return withFileLock(`${versionDir}.lock`, `the Kafka ${kafkaVersion} jar cache`, async () => {
    // Another launcher may have filled the cache while we waited for the lock.
    const filled = cached(versionDir, kafkaVersion);
    if (filled) return filled;
    fs.mkdirSync(versionDir, { recursive: true });
    fs.rmSync(path.join(versionDir, 'complete.json'), { force: true });
    const partial = path.join(versionDir, 'libs.partial');
    const libs = path.join(versionDir, 'libs');
    const pomPath = path.join(versionDir, 'pom.xml');

    log(`Downloading Kafka ${kafkaVersion} jars with Maven into ${libs} (first run only)...`);
    let slf4jMajor: 1 | 2 = 1;
    for (let attempt = 1; ; attempt++) {
      fs.rmSync(partial, { recursive: true, force: true });
      fs.writeFileSync(pomPath, renderPom(kafkaVersion, loggingSetupFor(kafkaVersion, slf4jMajor)));
      await runMaven(mvn, pomPath, partial);
      const found = slf4jMajorIn(partial);
      // A future 4.x may move to slf4j 2, whose binding is a different artifact: switch and redo.
      if (
        kafkaVersion.startsWith('4.') &&
        found !== undefined &&
        found !== slf4jMajor &&
        attempt === 1
      ) {
        slf4jMajor = found;
        continue;
      }
      break;
    }
    if (!fs.existsSync(path.join(partial, `kafka_2.13-${kafkaVersion}.jar`))) {
      throw new LocalKafkaError(
        `Maven finished but kafka_2.13-${kafkaVersion}.jar is missing in ${partial}.`,
      );
    }
    fs.rmSync(libs, { recursive: true, force: true });
    fs.renameSync(partial, libs);
    const marker: CompletionMarker = {
      kafkaVersion,
      slf4jMajor,
      jarCount: fs.readdirSync(libs).filter((f) => f.endsWith('.jar')).length,
      resolvedAt: new Date().toISOString(),
    };
    fs.writeFileSync(
      path.join(versionDir, 'complete.json'),
      `${JSON.stringify(marker, null, 2)}\n`,
    );
    return { dir: libs, logging: loggingSetupFor(kafkaVersion, slf4jMajor) };
  });
}
