/**
 * `npm run docs:settings`: rewrites the collector settings list of docs/cli.md from the settings
 * table in src/config/collector-settings.ts. A unit test fails while the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_PAGE, withSettingsList } from './settings-markdown';

const page = join(__dirname, '..', '..', SETTINGS_PAGE);
const before = readFileSync(page, 'utf8');
const after = withSettingsList(before);
if (after === before) {
  console.log(`${SETTINGS_PAGE}: settings list up to date`);
} else {
  writeFileSync(page, after);
  console.log(`${SETTINGS_PAGE}: settings list rewritten`);
}
