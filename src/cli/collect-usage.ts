import { COLLECTOR_SETTINGS } from '../config/collector-settings';
import type { Setting } from '../config/setting';
import { PACKAGE_NAME } from '../version';

/** `kafka-otel collect --help`: every setting with its flag and variables, from the table. */
export function collectUsage(): string {
  const flags = COLLECTOR_SETTINGS.filter((s) => s.flag !== undefined).map((setting) => {
    const left = `  --${setting.flag}${setting.arg ? ` ${setting.arg}` : ''}`;
    return `${left}\n${indent(describe(setting))}\n      [${variables(setting)}]`;
  });
  const variablesOnly = COLLECTOR_SETTINGS.filter((s) => s.flag === undefined).map((setting) => {
    const aliases = setting.aliases.length > 0 ? ` (alias ${setting.aliases.join(', ')})` : '';
    return `  ${setting.env}${aliases}\n${indent(describe(setting))}`;
  });
  return `Usage: ${PACKAGE_NAME} collect --brokers HOST:PORT[,HOST:PORT] [options]

Standalone Kafka cluster exporter: brokers, topics, partitions, offsets, replication, storage,
the KRaft quorum and consumer-group lag, served to Prometheus or pushed over OTLP.

Options (a flag wins over its environment variables; KAFKA_OTEL_COLLECT_* wins over its
KAFKA_OTEL_* alias when both are set):
${flags.join('\n')}
  -h, --help
      Show this message.

Variables without a flag:
${variablesOnly.join('\n')}

OTLP headers, timeout and certificates come from the standard OTEL_EXPORTER_OTLP_* variables;
OTEL_SERVICE_NAME names the exporter's resource; OTEL_LOG_LEVEL sets its log level (warn).

Exit codes: 0 stopped by SIGTERM/SIGINT (after a last export), 1 runtime failure (e.g. the
Prometheus port is taken), 2 bad flags or values. An unreachable cluster is not a failure:
kafka_collector_up reports 0 and every collection tries again.
`;
}

/** The help line without the docs' backquotes, and the default. */
function describe(setting: Setting): string {
  const help = setting.help.replaceAll('`', '');
  return setting.defaultText === ''
    ? help
    : `${help} Default: ${setting.defaultText.replaceAll('`', '')}.`;
}

/** `env NAME[=true|false], alias OLD_NAME`: a switch's variable shows the value its flag sets. */
function variables(setting: Setting): string {
  const value = setting.sets === undefined ? '' : `=${String(setting.sets)}`;
  const aliases = setting.aliases.map((alias) => `, alias ${alias}${value}`).join('');
  return `env ${setting.env}${value}${aliases}`;
}

const WIDTH = 96;
const INDENT = '      ';

/** Word-wraps a help text under its flag. */
function indent(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && INDENT.length + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.map((l) => INDENT + l).join('\n');
}
