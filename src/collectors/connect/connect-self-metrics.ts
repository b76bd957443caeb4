import { ATTR_ERROR_TYPE, ATTR_PHASE } from '../collector-attributes';
import type { SelfMetricDefinitions } from '../collector-self-metrics';

/**
 * The Connect collector's own work, counted by the shared SelfMetrics. Names of their own (not
 * `kafka.collector.scrape.*`): a process running both collectors exports both, and one name
 * from two producers would mix a cluster's scrapes with a Connect cluster's.
 */
export const CONNECT_SELF_METRICS = {
  scrapeDuration: {
    name: 'kafka.connect.scrape.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time taken to take one Connect snapshot (REST, and JMX when configured).',
    attributes: [],
  },
  scrapeErrors: {
    name: 'kafka.connect.scrape.errors',
    kind: 'counter',
    unit: '{error}',
    description:
      'Failed Connect snapshot requests by phase (rest, jmx) and error type (connection_refused, timeout, unauthorized, malformed_reply, query_failed for each JMX query the Jolokia agent refused or failed, ...).',
    attributes: [ATTR_PHASE, ATTR_ERROR_TYPE],
  },
} as const satisfies SelfMetricDefinitions;
