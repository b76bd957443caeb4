import { safely } from '../settle';
import type { InternalClient } from './confluent-internals';
import type { ConfluentTelemetry, StatisticsSource } from './confluent-telemetry';

/**
 * Hands each statistics document librdkafka emits for a client (`event.stats`, every
 * `statistics.interval.ms`) to the statistics metrics. A listener of its own: an application's
 * `stats_cb` is another listener of the same event and gets every document as before.
 */
export function listenToStatistics(
  telemetry: ConfluentTelemetry,
  internal: InternalClient,
  client: object,
  source: StatisticsSource,
) {
  internal.on('event.stats', (event: unknown) => {
    if (!telemetry.isEnabled()) return;
    safely(telemetry.diag, 'statistics', () =>
      telemetry.statistics.update(client, source, (event as { message?: unknown } | null)?.message),
    );
  });
}
