/**
 * test/unit/collectors/protocol/fixtures/java-vectors.ts as text: the generated object literal
 * between hand-written parts (the header comment that says where the bytes come from, and the
 * helpers after it), which a rewrite keeps as they are.
 */
import path from 'node:path';
import * as prettier from 'prettier';

export const VECTORS_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  'test',
  'unit',
  'collectors',
  'protocol',
  'fixtures',
  'java-vectors.ts',
);

const OPEN = 'export const JAVA_VECTORS = {';
const CLOSE = '} as const;';

/**
 * The file with its vectors replaced by `vectors` (in their order), formatted with the
 * repository's Prettier settings so `npm run lint` accepts it unchanged.
 */
export async function renderVectorsFile(
  current: string,
  vectors: Record<string, string>,
): Promise<string> {
  const from = current.indexOf(OPEN);
  const to = current.indexOf(CLOSE, from);
  if (from === -1 || to === -1) {
    throw new Error(`${VECTORS_FILE} has no \`${OPEN} ... ${CLOSE}\` block to rewrite`);
  }
  const entries = Object.entries(vectors).map(([name, hex]) => `  '${name}': '${hex}',`);
  const text = `${current.slice(0, from + OPEN.length)}\n${entries.join('\n')}\n${current.slice(to)}`;
  const config = (await prettier.resolveConfig(VECTORS_FILE)) ?? {};
  return prettier.format(text, { ...config, filepath: VECTORS_FILE });
}

/**
 * The names listed in the header as existing only in Kafka 4.x (the ones the 3.9 jar cannot
 * write), so the cross-check can hold the comment to what the generator does.
 */
export function headerFourOnlyNames(current: string): string[] {
  const list = /these exist only[\s*]+in 4\.x:\n((?:[ \t]*\*[ \t]+\S.*\n)+)/.exec(current)?.[1];
  if (list === undefined) throw new Error('the header lists no vectors that exist only in 4.x');
  return list
    .split('\n')
    .map((line) => line.replace(/^[ \t]*\*[ \t]*/, ''))
    .join(' ')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
