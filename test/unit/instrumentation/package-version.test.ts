/**
 * KafkaJS requires its protocol modules lazily, several per request; the instrumentation base
 * class would read kafkajs/package.json on each of those requires. The instrumentation reads it
 * once per package directory, and still reports the version the file holds.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KafkaJsInstrumentation } from '../../../src';

afterEach(() => vi.restoreAllMocks());

describe('package versions', () => {
  it('reads a package version once per directory, as the base class reads it', () => {
    const instrumentation = new KafkaJsInstrumentation({ enabled: false });
    const baseDir = path.dirname(createRequire(import.meta.url).resolve('kafkajs/package.json'));
    const expected = (
      JSON.parse(fs.readFileSync(path.join(baseDir, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    const reads = vi.spyOn(fs, 'readFileSync');
    const base = instrumentation as unknown as { _extractPackageVersion(dir: string): unknown };
    expect(base._extractPackageVersion(baseDir)).toBe(expected);
    expect(base._extractPackageVersion(baseDir)).toBe(expected);
    expect(base._extractPackageVersion(baseDir)).toBe(expected);
    const packageJsonReads = reads.mock.calls.filter(([file]) =>
      String(file).endsWith(`${path.sep}package.json`),
    );
    expect(packageJsonReads).toHaveLength(1);
  });
});
