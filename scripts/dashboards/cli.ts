/**
 * `npm run dashboards`: rewrites dashboards/ (Grafana JSON and provisioning files) from the
 * definitions in this folder. A unit test fails while the files and the code differ.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { dashboardFiles } from './dashboards';

const root = join(__dirname, '..', '..');
for (const [file, after] of dashboardFiles()) {
  const path = join(root, file);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (after === before) {
    console.log(`${file}: up to date`);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, after);
    console.log(`${file}: rewritten`);
  }
}
