/**
 * Writes one file a generator renders from the code (alert rules, dashboards, docs pages), only
 * when its content changed, and says which: the unit tests fail while a generated file and the
 * code differ, and the output tells the developer what `npm run <generator>` changed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..');

/** `file` is relative to the repository root. */
export function writeGeneratedFile(file: string, content: string): void {
  const path = join(REPO_ROOT, file);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (content === before) {
    console.log(`${file}: up to date`);
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`${file}: rewritten`);
}
