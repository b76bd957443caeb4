/**
 * KafkaJS requires its protocol modules lazily, several per request; the instrumentation base
 * class would read kafkajs/package.json on each of those requires. The instrumentation reads it
 * once per package directory, and still reports the version the file holds.
 */
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KafkaJsInstrumentation } from '../../../src';

type VersionReader = { _extractPackageVersion(baseDir: string): string | undefined };

afterEach(() => vi.restoreAllMocks());

describe('package versions', () => {
  it('reads a package version once per directory, as the base class reads it', () => {
    // The base class's own reader, spied on before the instrumentation wraps it.
    const baseReader = vi.spyOn(
      InstrumentationBase.prototype as unknown as VersionReader,
      '_extractPackageVersion',
    );
    const instrumentation = new KafkaJsInstrumentation({ enabled: false });
    const reader = instrumentation as unknown as VersionReader;
    const baseDir = path.dirname(createRequire(import.meta.url).resolve('kafkajs/package.json'));
    const { version } = JSON.parse(fs.readFileSync(path.join(baseDir, 'package.json'), 'utf8')) as {
      version: string;
    };

    expect(reader._extractPackageVersion(baseDir)).toBe(version);
    expect(reader._extractPackageVersion(baseDir)).toBe(version);
    expect(reader._extractPackageVersion(baseDir)).toBe(version);
    expect(baseReader).toHaveBeenCalledTimes(1);
  });
});
