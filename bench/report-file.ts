/**
 * docs/benchmarks.md holds one section per benchmark (`client` now, `collector` later). Each
 * run rewrites only its own section, between markers, and leaves the rest of the file alone;
 * the file is formatted with the repository's Prettier settings, so `npm run lint` accepts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';

const HEADER = [
  '# Benchmarks',
  '',
  'Written by `npm run bench`: each section below is replaced by the benchmark that produced it,',
  'the text around the sections is kept. Figures depend on the machine; compare ratios, and',
  'always within one report.',
  '',
].join('\n');

function markers(section: string): { begin: string; end: string } {
  return {
    begin: `<!-- bench:${section}:begin (generated: edit the bench, not this section) -->`,
    end: `<!-- bench:${section}:end -->`,
  };
}

/** The file's text with `section` replaced by `markdown` (or appended when new). */
export function withSection(existing: string | undefined, section: string, markdown: string) {
  const { begin, end } = markers(section);
  const block = `${begin}\n\n${markdown.trim()}\n\n${end}\n`;
  if (existing === undefined) return `${HEADER}\n${block}`;
  const from = existing.indexOf(begin);
  const to = existing.indexOf(end);
  if (from >= 0 && to > from) {
    return `${existing.slice(0, from)}${block.trimEnd()}${existing.slice(to + end.length)}`;
  }
  return `${existing.trimEnd()}\n\n${block}`;
}

export async function writeReportSection(
  file: string,
  section: string,
  markdown: string,
): Promise<void> {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const config = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(withSection(existing, section, markdown), {
    ...config,
    parser: 'markdown',
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
