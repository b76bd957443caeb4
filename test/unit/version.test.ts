import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../src/version';

describe('version', () => {
  it('matches package.json, so spans report the scope version users installed', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      name: string;
      version: string;
    };
    expect({ name: PACKAGE_NAME, version: PACKAGE_VERSION }).toEqual({
      name: pkg.name,
      version: pkg.version,
    });
  });
});
