/**
 * `npm run docs:settings`: rewrites the collector settings table of README.md from the settings
 * table in src/config/collector-settings.ts. A unit test fails while the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withSettingsTable } from './settings-markdown';

const readme = join(__dirname, '..', '..', 'README.md');
const before = readFileSync(readme, 'utf8');
const after = withSettingsTable(before);
if (after === before) {
  console.log('README.md: settings table up to date');
} else {
  writeFileSync(readme, after);
  console.log('README.md: settings table rewritten');
}
