/**
 * The README stays one screen with the quick start a fresh clone runs: under 12 KB (issue #11;
 * reference belongs in docs/), the two quick-start commands as the CI and the demo run them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const README_LIMIT_BYTES = 12 * 1024;

describe('README.md', () => {
  it('stays under 12 KB', () => {
    expect(Buffer.byteLength(README, 'utf8')).toBeLessThan(README_LIMIT_BYTES);
  });

  it('starts with the two quick-start commands: the demo, then the tests', () => {
    const quickStart = README.slice(README.indexOf('## Quick start'));
    const start = quickStart.indexOf('```sh') + '```sh'.length;
    const commands = quickStart
      .slice(start, quickStart.indexOf('```', start))
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm install && npm run demo', 'npm test']);
  });
});
