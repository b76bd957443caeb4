/**
 * `npm run docs:metrics`: rewrites docs/metrics.md from the metric definitions in src/ (client
 * instruments, broker handler instruments, collector families and self-metrics). A unit test
 * fails while the two differ.
 */
import { writeGeneratedFile } from '../generated-file';
import { METRICS_PAGE, metricsMarkdown } from './metrics-markdown';

writeGeneratedFile(METRICS_PAGE, metricsMarkdown());
