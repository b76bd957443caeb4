/** Where a broker listens. */
export interface BrokerAddress {
  /** Host name or IP address. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

/**
 * Parses `host:port` (or `[ipv6]:port`), the form of KafkaJS's `brokers` option and of
 * `bootstrap.servers` entries. Throws a TypeError for anything else.
 */
export function parseBrokerAddress(text: string): BrokerAddress {
  const trimmed = text.trim();
  const colon = trimmed.lastIndexOf(':');
  const rawHost = colon > 0 ? trimmed.slice(0, colon) : '';
  const port = Number(trimmed.slice(colon + 1));
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  if (host === '' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new TypeError(`invalid broker address '${text}': expected host:port`);
  }
  return { host, port };
}

/** `host:port` (`[ipv6]:port`) of an address, the key connections are kept under. */
export function formatBrokerAddress({ host, port }: BrokerAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
