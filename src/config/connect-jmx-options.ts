import type { ConnectionOptions } from 'node:tls';
import type { KafkaConnectCollectorOptions } from '../collectors/connect/kafka-connect-collector';
import type { KafkaBrokerJmxCollectorOptions } from '../collectors/jmx/kafka-broker-jmx-collector';
import { buildTlsOptions } from './tls-options';
import { InvalidValue } from './value-parsers';

/** The Connect and JMX settings as given (flags or variables), before files are read. */
export interface ConnectJmxInput {
  connectUrl?: URL;
  connectUsername?: string;
  connectPassword?: string;
  connectTlsCaFile?: string;
  connectJolokiaUrl?: URL;
  brokerJmxUrls?: URL[];
  jolokiaUsername?: string;
  jolokiaPassword?: string;
  jolokiaTlsCaFile?: string;
}

/** How each setting is called where it came from, for messages (a flag or a variable). */
export type ConnectJmxLabels = Record<
  | 'connectUsername'
  | 'connectPassword'
  | 'connectTlsCaFile'
  | 'jolokiaUsername'
  | 'jolokiaPassword'
  | 'jolokiaTlsCaFile',
  string
>;

/** Where the Connect collector reads: its REST API and, optionally, the worker's Jolokia. */
export type ConnectEndpoints = Pick<
  KafkaConnectCollectorOptions,
  | 'url'
  | 'username'
  | 'password'
  | 'tls'
  | 'jolokiaUrl'
  | 'jolokiaUsername'
  | 'jolokiaPassword'
  | 'jolokiaTls'
>;

/** Where the broker JMX collector reads: one Jolokia agent per broker. */
export type BrokerJmxEndpoints = Pick<
  KafkaBrokerJmxCollectorOptions,
  'username' | 'password' | 'tls'
> & {
  endpoints: string[];
};

/**
 * The endpoints of the Connect and broker JMX collectors from their settings, CA files read;
 * undefined for a source not asked for. A username needs its password and the reverse (a
 * half-given login would only show as HTTP 401 at every cycle). Throws {@link InvalidValue}
 * naming the setting, never a password.
 */
export function buildConnectJmxEndpoints(
  input: ConnectJmxInput,
  labels: ConnectJmxLabels,
): { connect?: ConnectEndpoints; brokerJmx?: BrokerJmxEndpoints } {
  const jolokiaAsked = input.connectJolokiaUrl !== undefined || input.brokerJmxUrls !== undefined;
  const jolokia = jolokiaAsked
    ? {
        ...login(
          input.jolokiaUsername,
          input.jolokiaPassword,
          labels.jolokiaUsername,
          labels.jolokiaPassword,
        ),
        ...caOnly(input.jolokiaTlsCaFile, labels.jolokiaTlsCaFile),
      }
    : {};
  let connect: ConnectEndpoints | undefined;
  if (input.connectUrl !== undefined) {
    connect = {
      url: input.connectUrl.href,
      ...login(
        input.connectUsername,
        input.connectPassword,
        labels.connectUsername,
        labels.connectPassword,
      ),
      ...caOnly(input.connectTlsCaFile, labels.connectTlsCaFile),
    };
    if (input.connectJolokiaUrl !== undefined) {
      connect.jolokiaUrl = input.connectJolokiaUrl.href;
      if (jolokia.username !== undefined) {
        connect.jolokiaUsername = jolokia.username;
        connect.jolokiaPassword = jolokia.password;
      }
      if (jolokia.tls !== undefined) connect.jolokiaTls = jolokia.tls;
    }
  } else if (input.connectJolokiaUrl !== undefined) {
    throw new InvalidValue(
      "the Connect worker's Jolokia URL needs the Connect REST URL (--connect-url / KAFKA_OTEL_COLLECT_CONNECT_URL)",
    );
  }
  const brokerJmx =
    input.brokerJmxUrls === undefined
      ? undefined
      : { endpoints: input.brokerJmxUrls.map((url) => url.href), ...jolokia };
  return {
    ...(connect ? { connect } : {}),
    ...(brokerJmx ? { brokerJmx } : {}),
  };
}

function login(
  username: string | undefined,
  password: string | undefined,
  usernameLabel: string,
  passwordLabel: string,
): { username?: string; password?: string } {
  if (username !== undefined && password === undefined) {
    throw new InvalidValue(`${usernameLabel} needs ${passwordLabel}`);
  }
  if (password !== undefined && username === undefined) {
    throw new InvalidValue(`${passwordLabel} needs ${usernameLabel}`);
  }
  return username === undefined ? {} : { username, password };
}

/** TLS options holding the given CA, or nothing (an https URL then trusts the system CAs). */
function caOnly(caFile: string | undefined, label: string): { tls?: ConnectionOptions } {
  if (caFile === undefined) return {};
  const tls = buildTlsOptions(
    { tlsCaFile: caFile },
    { tlsCaFile: label, tlsCertFile: label, tlsKeyFile: label, tlsKeyPassword: label },
  );
  return typeof tls === 'object' ? { tls } : {};
}
