/**
 * Relative links in the repository's markdown, and whether they resolve the way GitHub renders
 * them: the linked file exists, and a `#fragment` names a heading of the linked markdown file.
 * A reader follows these links from the README into docs/; a renamed file or heading breaks
 * them silently, so the docs test checks every one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

/** One link destination written in a markdown file. */
export interface MarkdownLink {
  /** 1-based line the link starts on. */
  line: number;
  /** The destination as written: a path, `#fragment`, or both; URLs included. */
  target: string;
}

/**
 * The text with fenced code blocks and HTML comments replaced by spaces, newlines kept: links
 * and headings inside them are not rendered, and offsets and line numbers stay those of the
 * original text.
 */
export function blankCodeBlocks(text: string): string {
  const lines = text.split('\n');
  let fence: { char: string; length: number } | undefined;
  const kept = lines.map((line) => {
    // Fences inside list items are indented by the item's width: accept any indentation.
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker === undefined) return line;
      fence = { char: marker[0]!, length: marker.length };
      return blank(line);
    }
    const closes =
      marker !== undefined &&
      marker[0] === fence.char &&
      marker.length >= fence.length &&
      line.trim() === marker;
    if (closes) fence = undefined;
    return blank(line);
  });
  return kept.join('\n').replace(/<!--[\s\S]*?-->/g, blank);
}

/**
 * The text with inline code spans replaced by spaces (newlines kept). A span opens at a run of
 * backticks and closes at the next run of the same length within the paragraph; a run with no
 * such partner is literal text.
 */
export function blankInlineCode(text: string): string {
  let out = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('`', at);
    if (open < 0) break;
    const run = /^`+/.exec(text.slice(open))![0];
    const escaped = open > 0 && text[open - 1] === '\\';
    const close = escaped ? -1 : findClosingRun(text, open + run.length, run.length);
    const span = close < 0 ? '' : text.slice(open, close + run.length);
    if (close < 0 || /\n[ \t]*\n/.test(span)) {
      out += text.slice(at, open + run.length);
      at = open + run.length;
      continue;
    }
    out += text.slice(at, open) + blank(span);
    at = close + run.length;
  }
  return out + text.slice(at);
}

/** Offset of the next run of exactly `length` backticks at or after `from`, or -1. */
function findClosingRun(text: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let match = runs.exec(text); match !== null; match = runs.exec(text)) {
    if (match[0].length === length) return match.index;
  }
  return -1;
}

/** Spaces in place of every character but newlines. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

/** Inline links and images: `[text](dest "title")`, `![alt](<dest>)`; text may hold one level of brackets. */
const INLINE_LINK =
  /!?\[(?:[^[\]\\]|\\.|\[[^[\]]*\])*\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)/g;
/** Link reference definitions, `[label]: dest "title"` at the start of a line (not footnotes, `[^1]:`). */
const REFERENCE_DEFINITION = /^ {0,3}\[(?!\^)((?:[^[\]\\]|\\.)+)\]:[ \t]*(<[^<>\n]*>|\S+)/gm;
/** Full and collapsed reference links: `[text][label]`, `[label][]`. */
const REFERENCE_USE = /(?<![\]\\])\[((?:[^[\]\\]|\\.)+)\]\[((?:[^[\]\\]|\\.)*)\](?![(:])/g;
/** Raw HTML links and images: `<a href="dest">`, `<img src="dest">`. */
const HTML_LINK = /<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/** Reference labels match case-insensitively with runs of whitespace collapsed. */
function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The text with code blocks, comments and code spans blanked: what renders as links. */
function linkableText(markdown: string): string {
  return blankInlineCode(blankCodeBlocks(markdown));
}

/** 1-based line of an offset. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/**
 * Every link destination in a markdown document, outside code: inline links and images,
 * reference definitions, raw HTML `href`/`src`; in document order.
 */
export function extractLinks(markdown: string): MarkdownLink[] {
  const text = linkableText(markdown);
  const found = [
    ...[...text.matchAll(REFERENCE_DEFINITION)].map((match) => [match.index, match[2]!] as const),
    ...[...text.matchAll(INLINE_LINK)].map((match) => [match.index, match[1]!] as const),
    ...[...text.matchAll(HTML_LINK)].map((match) => [match.index, match[1] ?? match[2]!] as const),
  ];
  return found
    .sort(([a], [b]) => a - b)
    .map(([offset, target]) => ({
      line: lineAt(text, offset),
      target: target.replace(/^<(.*)>$/, '$1'),
    }));
}

/**
 * Full and collapsed reference links (`[text][label]`, `[label][]`) whose label has no
 * definition: they render as plain bracketed text, a link the reader cannot follow. The
 * target is the label as written, in brackets.
 */
export function undefinedReferences(markdown: string): MarkdownLink[] {
  const text = linkableText(markdown);
  const defined = new Set(
    [...text.matchAll(REFERENCE_DEFINITION)].map((match) => normalizeLabel(match[1]!)),
  );
  return [...text.matchAll(REFERENCE_USE)]
    .map((match) => ({ line: lineAt(text, match.index), label: match[2] || match[1]! }))
    .filter(({ label }) => !defined.has(normalizeLabel(label)))
    .map(({ line, label }) => ({ line, target: `[${label}]` }));
}

/**
 * The anchor GitHub gives a heading: the rendered text lowercased, every character that is
 * not a letter, mark, number, connector (`_`), hyphen or space dropped, each space a hyphen.
 */
export function githubSlug(renderedText: string): string {
  return renderedText
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** What a heading's markdown renders as text: code spans keep their content, markup goes. */
export function headingText(markdown: string): string {
  return markdown
    .split(/(`+[^`]*`+)/)
    .map((part, index) => (index % 2 === 1 ? part.replace(/^`+ ?|`+$/g, '') : inlineText(part)))
    .join('')
    .trim();
}

/** Rendered text of markdown that holds no code spans. */
function inlineText(markdown: string): string {
  return (
    markdown
      .replace(/!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])?/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/(?<!\\)\*+/g, '')
      // Emphasis underscores flank words; underscores inside a word (SOME_NAME) are text.
      .replace(/(^|[^\p{L}\p{N}_])_+(?=\S)/gu, '$1')
      .replace(/(?<=\S)_+(?=$|[^\p{L}\p{N}_])/gu, '')
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
  );
}

/**
 * Every `#fragment` a link into this document can use: one per heading (ATX `#` and setext
 * underlined), numbered `-1`, `-2` for repeated headings as GitHub numbers them, plus explicit
 * HTML `id`/`name` anchors.
 */
export function headingAnchors(markdown: string): Set<string> {
  // Code spans stay in the lines: heading text keeps their content.
  const lines = blankCodeBlocks(markdown).split('\n');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const addHeading = (text: string) => {
    const base = githubSlug(headingText(text));
    let slug = base;
    if (anchors.has(slug)) {
      let count = seen.get(base) ?? 0;
      do slug = `${base}-${++count}`;
      while (anchors.has(slug));
      seen.set(base, count);
    }
    anchors.add(slug);
  };

  lines.forEach((line, index) => {
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) return addHeading(atx[1] ?? '');
    const previous = lines[index - 1];
    const beforePrevious = lines[index - 2];
    const underlinesParagraph =
      /^ {0,3}(=+|-+)[ \t]*$/.test(line) &&
      previous !== undefined &&
      previous.trim() !== '' &&
      !/^ {0,3}([#>|]|[-*+][ \t]|\d+[.)][ \t])/.test(previous) &&
      (beforePrevious === undefined || beforePrevious.trim() === '');
    if (underlinesParagraph) addHeading(previous.trim());
  });
  const outsideCode = blankInlineCode(lines.join('\n'));
  for (const match of outsideCode.matchAll(
    /<[a-z]+\b[^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/gi,
  )) {
    anchors.add(match[1]!);
  }
  return anchors;
}

/** True for a destination with a URL scheme (`https:`, `mailto:`) or protocol-relative `//`. */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * The relative links among `files` (paths relative to `root`) that do not resolve, each as
 * `file:line → target (why)`. Paths resolve against the linking file's folder, a leading `/`
 * against the repository root as on GitHub; a fragment is checked only in markdown targets
 * (other files take line fragments such as `#L10`).
 */
export function brokenLinks(root: string, files: readonly string[]): string[] {
  const anchorsByFile = new Map<string, Set<string>>();
  const anchorsOf = (path: string) => {
    let anchors = anchorsByFile.get(path);
    if (anchors === undefined) {
      anchors = headingAnchors(readFileSync(path, 'utf8'));
      anchorsByFile.set(path, anchors);
    }
    return anchors;
  };

  const broken: string[] = [];
  for (const file of files) {
    const from = join(root, file);
    const markdown = readFileSync(from, 'utf8');
    const problems = [
      ...extractLinks(markdown).map((link) => ({
        ...link,
        problem: linkProblem(root, from, link.target, anchorsOf),
      })),
      ...undefinedReferences(markdown).map((link) => ({ ...link, problem: 'no definition' })),
    ];
    for (const { line, target, problem } of problems.sort((a, b) => a.line - b.line)) {
      if (problem !== undefined) broken.push(`${file}:${line} → ${target} (${problem})`);
    }
  }
  return broken;
}

/** Why one link does not resolve, or undefined when it does (or is external). */
function linkProblem(
  root: string,
  from: string,
  target: string,
  anchorsOf: (path: string) => Set<string>,
): string | undefined {
  if (isExternal(target)) return undefined;
  const hash = target.indexOf('#');
  const pathPart = (hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
  const fragment = hash < 0 ? undefined : decodeUri(target.slice(hash + 1));
  const decodedPath = decodeUri(pathPart);
  if (fragment === null || decodedPath === null) return 'malformed %-escape';
  const path =
    decodedPath === ''
      ? from
      : decodedPath.startsWith('/')
        ? join(root, decodedPath)
        : resolve(dirname(from), decodedPath);
  const fromRoot = relative(root, path);
  if (fromRoot.startsWith(`..${sep}`) || fromRoot === '..') return 'outside the repository';
  if (!existsSync(path)) return 'no such file';
  if (fragment === undefined || fragment === '' || extname(path).toLowerCase() !== '.md')
    return undefined;
  if (!anchorsOf(path).has(fragment)) return `no heading makes #${fragment}`;
  return undefined;
}

/** The %-decoded text, or null when an escape is malformed. */
function decodeUri(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
