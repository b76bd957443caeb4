import { PACKAGE_NAME } from '../version';
import { COLLECT_FLAGS } from './collect-flags';

/** `kafka-otel collect --help`: every flag with its variable, generated from the flag table. */
export function collectUsage(): string {
  const rows = COLLECT_FLAGS.map((flag) => {
    const left = `  --${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`;
    const env = flag.kind === 'switch' ? `${flag.env}=${String(flag.sets ?? true)}` : flag.env;
    return `${left}\n      ${flag.help}\n      [env ${env}]`;
  });
  return `Usage: ${PACKAGE_NAME} collect --brokers HOST:PORT[,HOST:PORT] [options]

Standalone Kafka cluster exporter: brokers, topics, partitions, offsets, replication, storage,
the KRaft quorum and consumer-group lag, served to Prometheus or pushed over OTLP.

Options (a flag wins over its environment variable):
${rows.join('\n')}
  -h, --help
      Show this message.

OTLP headers, timeout and certificates come from the standard OTEL_EXPORTER_OTLP_* variables;
OTEL_SERVICE_NAME names the exporter's resource; OTEL_LOG_LEVEL sets its log level (warn).

Exit codes: 0 stopped by SIGTERM/SIGINT (after a last export), 1 runtime failure (e.g. the
Prometheus port is taken), 2 bad flags or values. An unreachable cluster is not a failure:
kafka_collector_up reports 0 and every collection tries again.
`;
}
