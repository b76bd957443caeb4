/**
 * `npm run docs:metrics`: rewrites docs/metrics.md from the metric definitions in src/ (client
 * instruments, broker handler instruments, collector families and self-metrics). A unit test
 * fails while the two differ.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS_PAGE, metricsMarkdown } from './metrics-markdown';

const page = join(__dirname, '..', '..', METRICS_PAGE);
const before = existsSync(page) ? readFileSync(page, 'utf8') : '';
const after = metricsMarkdown();
if (after === before) {
  console.log(`${METRICS_PAGE}: up to date`);
} else {
  writeFileSync(page, after);
  console.log(`${METRICS_PAGE}: rewritten`);
}
