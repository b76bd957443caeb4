import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  javaCandidates,
  parseJavaMajorVersion,
  requireJava,
} from '../../../scripts/local-kafka/java-check';

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6)', 17],
    ['java version "1.8.0_392"\nJava(TM) SE Runtime Environment (build 1.8.0_392-b08)', 8],
    ['openjdk version "21" 2023-09-19', 21],
    ['openjdk version "11.0.2" 2019-01-15', 11],
    ['openjdk version "22-ea" 2024-03-19', 22],
    ['Picked up JAVA_TOOL_OPTIONS: -Xss1m\nopenjdk version "25.0.1" 2025-10-21', 25],
  ])('reads %j as Java %i', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });

  it('returns undefined when there is no version string', () => {
    expect(parseJavaMajorVersion('bash: java: command not found')).toBeUndefined();
  });
});

describe('requireJava', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  function tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'java-check-'));
    dirs.push(dir);
    return dir;
  }
  function fakeJava(dir: string, versionLine: string): void {
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    const file = path.join(dir, 'bin', 'java');
    fs.writeFileSync(file, `#!/bin/sh\necho '${versionLine}' >&2\n`);
    fs.chmodSync(file, 0o755);
  }

  it('fails with install advice when neither JAVA_HOME nor PATH has java', async () => {
    const empty = tempDir();
    await expect(requireJava({ PATH: empty })).rejects.toThrow(
      /Java 17 or newer is required.*no `java` was found[\s\S]*openjdk-17/,
    );
  });

  it('names a too-old Java and where it came from', async () => {
    const home = tempDir();
    fakeJava(home, 'java version "1.8.0_392"');
    const error = await requireJava({ JAVA_HOME: home, PATH: tempDir() }).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(
      `${path.join(home, 'bin', 'java')} (from JAVA_HOME): Java 8, too old`,
    );
  });

  it('prefers JAVA_HOME and falls back to PATH when JAVA_HOME holds no java', async () => {
    const good = tempDir();
    fakeJava(good, 'openjdk version "21" 2023-09-19');
    const brokenHome = tempDir();
    expect(javaCandidates({ JAVA_HOME: brokenHome, PATH: path.join(good, 'bin') })).toEqual([
      {
        path: path.join(brokenHome, 'bin', 'java'),
        source: 'JAVA_HOME',
        problem: 'no executable there',
      },
      { path: path.join(good, 'bin', 'java'), source: 'PATH' },
    ]);
    const java = await requireJava({ JAVA_HOME: brokenHome, PATH: path.join(good, 'bin') });
    expect(java).toMatchObject({ path: path.join(good, 'bin', 'java'), source: 'PATH', major: 21 });
  });
});
