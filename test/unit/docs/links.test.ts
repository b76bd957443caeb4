/**
 * Every relative link in README.md, CONTRIBUTING.md and docs/ resolves: the file exists, and a
 * `#fragment` into a markdown file names one of its headings, as GitHub renders them. The
 * parsing is tested on small samples first, so that the last test failing means a broken link,
 * not a parser that found nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  brokenLinks,
  extractLinks,
  githubSlug,
  headingAnchors,
  headingText,
  undefinedReferences,
} from './markdown-links';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The markdown a reader reaches from the README: the README, CONTRIBUTING.md when present, docs/. */
function documentedFiles(root: string): string[] {
  const rootFiles = ['README.md', 'CONTRIBUTING.md'].filter((file) => existsSync(join(root, file)));
  const docs = existsSync(join(root, 'docs'))
    ? readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.md'))
        .map((file) => join('docs', file))
    : [];
  return [...rootFiles, ...docs.sort()];
}

describe('githubSlug', () => {
  it('lowercases and turns each space into a hyphen', () => {
    expect(githubSlug('Quick Start')).toBe('quick-start');
    expect(githubSlug('Lag  status')).toBe('lag--status');
  });

  it('drops punctuation but keeps hyphens, underscores, letters and digits', () => {
    expect(githubSlug('What you get: /metrics & a trace!')).toBe('what-you-get-metrics--a-trace');
    expect(githubSlug('KAFKA_OTEL_BROKERS (required)')).toBe('kafka_otel_brokers-required');
    expect(githubSlug('kafka-otel collect --once?')).toBe('kafka-otel-collect---once');
    expect(githubSlug('Node.js 20.6+')).toBe('nodejs-206');
    expect(githubSlug('Überblick — Größe')).toBe('überblick--größe');
  });
});

describe('headingText', () => {
  it('keeps the content of code spans and the text of links, drops emphasis', () => {
    expect(headingText('`kafka-otel/register` and **code**')).toBe('kafka-otel/register and code');
    expect(headingText('See [the CLI](docs/cli.md) _now_')).toBe('See the CLI now');
    expect(headingText('`KAFKA_OTEL_BROKERS` or KAFKA_OTEL_X')).toBe(
      'KAFKA_OTEL_BROKERS or KAFKA_OTEL_X',
    );
  });
});

describe('headingAnchors', () => {
  it('numbers repeated headings -1, -2 in document order', () => {
    const markdown = ['# Options', '## Example', 'text', '## Example', '### Example'].join('\n');
    expect([...headingAnchors(markdown)]).toEqual(['options', 'example', 'example-1', 'example-2']);
  });

  it('reads setext headings and HTML ids, and ignores headings inside code fences', () => {
    const markdown = [
      'Compatibility',
      '=============',
      '',
      '```sh',
      '# not a heading',
      '```',
      '',
      '<a id="lag-rules"></a>',
      '## `--brokers` flag',
    ].join('\n');
    expect([...headingAnchors(markdown)].sort()).toEqual([
      '--brokers-flag',
      'compatibility',
      'lag-rules',
    ]);
  });
});

describe('extractLinks', () => {
  it('finds inline links, images, reference definitions and HTML links with their lines', () => {
    const markdown = [
      'Start with [the quick start](#quick-start) and [docs](docs/cli.md#flags "CLI").',
      '![diagram](<docs/a b.png>)',
      'A [wrapped',
      'link](docs/security.md) and a [reference][sec].',
      '',
      '[sec]: docs/security.md#tls',
      '<a href="otel-collector.yaml">collector</a>',
    ].join('\n');
    expect(extractLinks(markdown)).toEqual([
      { line: 1, target: '#quick-start' },
      { line: 1, target: 'docs/cli.md#flags' },
      { line: 2, target: 'docs/a b.png' },
      { line: 3, target: 'docs/security.md' },
      { line: 6, target: 'docs/security.md#tls' },
      { line: 7, target: 'otel-collector.yaml' },
    ]);
  });

  it('skips links inside code fences and inline code', () => {
    const markdown = [
      'Run `[x](missing.md)` or ``a ` [y](missing.md)``.',
      '~~~md',
      '[z](missing.md)',
      '~~~',
      '<!-- [hidden](missing.md) -->',
      '[real](present.md)',
    ].join('\n');
    expect(extractLinks(markdown)).toEqual([{ line: 6, target: 'present.md' }]);
  });
});

describe('undefinedReferences', () => {
  it('lists reference links whose label has no definition, matching labels case-insensitively', () => {
    const markdown = [
      '[ok][Def], [also ok][], [broken][nowhere], task [x] stays text',
      '[Collapsed][] and `[in code][nowhere]`',
      '',
      '[def]: a.md',
      '[ALSO  ok]: b.md',
    ];
    expect(undefinedReferences(markdown.join('\n'))).toEqual([
      { line: 1, target: '[nowhere]' },
      { line: 2, target: '[Collapsed]' },
    ]);
  });
});

describe('brokenLinks', () => {
  let root: string;

  /** Writes a file of a small fake repository. */
  function write(path: string, text: string): void {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kafka-otel-links-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists each missing file, missing anchor and undefined reference as file:line → target', () => {
    write('otel-collector.yaml', 'receivers: {}\n');
    write(
      'docs/cli.md',
      '# CLI\n\n## Flags\n\n## Flags\n\nBack to the [README](../README.md#top).\n',
    );
    write(
      'README.md',
      [
        '# Top',
        '[flags](docs/cli.md#flags-1), [collector](otel-collector.yaml), [site](https://example.com)',
        '[gone](docs/gone.md) and [missing heading](docs/cli.md#flags-2)',
        '[self](#top) [self broken](#bottom) [root](/docs/cli.md) [out](../../etc/passwd)',
        '[line](src/missing.ts#L3) [undefined][nope]',
      ].join('\n'),
    );
    expect(brokenLinks(root, ['README.md', 'docs/cli.md'])).toEqual([
      'README.md:3 → docs/gone.md (no such file)',
      'README.md:3 → docs/cli.md#flags-2 (no heading makes #flags-2)',
      'README.md:4 → #bottom (no heading makes #bottom)',
      'README.md:4 → ../../etc/passwd (outside the repository)',
      'README.md:5 → src/missing.ts#L3 (no such file)',
      'README.md:5 → [nope] (no definition)',
    ]);
  });
});

describe('the repository docs', () => {
  it('have no relative link to a missing file or heading', () => {
    const files = documentedFiles(REPO_ROOT);
    expect(files).toContain('README.md');
    expect(brokenLinks(REPO_ROOT, files)).toEqual([]);
  });
});
