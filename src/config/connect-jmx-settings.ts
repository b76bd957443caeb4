/**
 * The settings of the Kafka Connect and broker JMX sources that `kafka-otel collect` and
 * `register` add next to the cluster collector: part of the same table (COLLECTOR_SETTINGS), in
 * a file of their own because they reach HTTP endpoints, not brokers. Passwords are variables
 * only, as for SASL: a command line is visible to every user of the machine.
 */
import type { Setting } from './setting';
import { InvalidValue, parseHttpUrl } from './value-parsers';

const text = (value: string) => value;

/** An http(s) URL that carries no `user:password@`: credentials have settings of their own. */
function parseEndpointUrl(value: string): URL {
  const url = parseHttpUrl(value);
  // Any `@`: a password holding `/` would otherwise parse as a host and a path, and be printed.
  if (url.username !== '' || url.password !== '' || value.includes('@')) {
    throw new InvalidValue(
      'the URL holds credentials; give the username in its own setting and the password in a variable',
    );
  }
  return url;
}

function parseEndpointList(value: string): URL[] {
  const urls = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map(parseEndpointUrl);
  if (urls.length === 0)
    throw new InvalidValue('expected one or more http(s) URLs, comma-separated');
  return urls;
}

export const CONNECT_URL: Setting<URL> = {
  name: 'connectUrl',
  env: 'KAFKA_OTEL_COLLECT_CONNECT_URL',
  aliases: [],
  flag: 'connect-url',
  arg: 'URL',
  parse: parseEndpointUrl,
  defaultText: '',
  help: 'Also collect this Kafka Connect cluster through its REST API (a worker, e.g. `http://connect:8083`): connectors, tasks, workers, and sink-connector lag.',
  register: true,
};

export const CONNECT_USERNAME: Setting<string> = {
  name: 'connectUsername',
  env: 'KAFKA_OTEL_COLLECT_CONNECT_USERNAME',
  aliases: [],
  flag: 'connect-username',
  arg: 'USER',
  parse: text,
  defaultText: '',
  help: 'HTTP Basic username for the Connect REST API; the password is read from `KAFKA_OTEL_COLLECT_CONNECT_PASSWORD`.',
  register: true,
};

export const CONNECT_PASSWORD: Setting<string> = {
  name: 'connectPassword',
  env: 'KAFKA_OTEL_COLLECT_CONNECT_PASSWORD',
  aliases: [],
  parse: text,
  defaultText: '',
  help: 'HTTP Basic password for the Connect REST API; never a flag (`--connect-password-env` names another variable).',
  register: true,
};

export const CONNECT_PASSWORD_ENV: Setting<string> = {
  name: 'connectPasswordEnv',
  env: 'KAFKA_OTEL_COLLECT_CONNECT_PASSWORD_ENV',
  aliases: [],
  flag: 'connect-password-env',
  arg: 'VAR',
  parse: text,
  defaultText: '',
  help: 'Name of the variable holding the Connect password, instead of `KAFKA_OTEL_COLLECT_CONNECT_PASSWORD`.',
  register: false,
};

export const CONNECT_TLS_CA: Setting<string> = {
  name: 'connectTlsCaFile',
  env: 'KAFKA_OTEL_COLLECT_CONNECT_TLS_CA',
  aliases: [],
  flag: 'connect-tls-ca',
  arg: 'FILE',
  parse: text,
  defaultText: 'system CAs',
  help: 'PEM file of the CA that signed the certificate of an `https://` Connect REST API.',
  register: true,
};

export const CONNECT_JOLOKIA_URL: Setting<URL> = {
  name: 'connectJolokiaUrl',
  env: 'KAFKA_OTEL_COLLECT_CONNECT_JOLOKIA_URL',
  aliases: [],
  flag: 'connect-jolokia-url',
  arg: 'URL',
  parse: parseEndpointUrl,
  defaultText: '',
  help: "Jolokia agent of the Connect worker (e.g. `http://connect:8778/jolokia/`): adds per-task throughput, errors, dead-letter queue and rebalance metrics from the worker's JMX.",
  register: true,
};

export const BROKER_JMX_URLS: Setting<URL[]> = {
  name: 'brokerJmxUrls',
  env: 'KAFKA_OTEL_COLLECT_BROKER_JMX_URLS',
  aliases: [],
  flag: 'broker-jmx-urls',
  arg: 'URL[,URL]',
  parse: parseEndpointList,
  defaultText: '',
  help: "Jolokia agents of the brokers, one per broker: adds the brokers' own request metrics per API and the KRaft metrics (`kafka.broker.*`, `kafka.raft.*`).",
  register: true,
};

export const JOLOKIA_USERNAME: Setting<string> = {
  name: 'jolokiaUsername',
  env: 'KAFKA_OTEL_COLLECT_JOLOKIA_USERNAME',
  aliases: [],
  flag: 'jolokia-username',
  arg: 'USER',
  parse: text,
  defaultText: '',
  help: 'HTTP Basic username for every Jolokia agent (Connect worker and brokers); the password is read from `KAFKA_OTEL_COLLECT_JOLOKIA_PASSWORD`.',
  register: true,
};

export const JOLOKIA_PASSWORD: Setting<string> = {
  name: 'jolokiaPassword',
  env: 'KAFKA_OTEL_COLLECT_JOLOKIA_PASSWORD',
  aliases: [],
  parse: text,
  defaultText: '',
  help: 'HTTP Basic password for the Jolokia agents; never a flag (`--jolokia-password-env` names another variable).',
  register: true,
};

export const JOLOKIA_PASSWORD_ENV: Setting<string> = {
  name: 'jolokiaPasswordEnv',
  env: 'KAFKA_OTEL_COLLECT_JOLOKIA_PASSWORD_ENV',
  aliases: [],
  flag: 'jolokia-password-env',
  arg: 'VAR',
  parse: text,
  defaultText: '',
  help: 'Name of the variable holding the Jolokia password, instead of `KAFKA_OTEL_COLLECT_JOLOKIA_PASSWORD`.',
  register: false,
};

export const JOLOKIA_TLS_CA: Setting<string> = {
  name: 'jolokiaTlsCaFile',
  env: 'KAFKA_OTEL_COLLECT_JOLOKIA_TLS_CA',
  aliases: [],
  flag: 'jolokia-tls-ca',
  arg: 'FILE',
  parse: text,
  defaultText: 'system CAs',
  help: 'PEM file of the CA that signed the certificates of `https://` Jolokia agents.',
  register: true,
};

/** The Connect and JMX settings, in the order `--help` and the docs list them. */
export const CONNECT_JMX_SETTINGS: readonly Setting[] = [
  CONNECT_URL,
  CONNECT_USERNAME,
  CONNECT_PASSWORD,
  CONNECT_PASSWORD_ENV,
  CONNECT_TLS_CA,
  CONNECT_JOLOKIA_URL,
  BROKER_JMX_URLS,
  JOLOKIA_USERNAME,
  JOLOKIA_PASSWORD,
  JOLOKIA_PASSWORD_ENV,
  JOLOKIA_TLS_CA,
];
