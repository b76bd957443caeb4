import { isIPv6 } from 'node:net';
import { InvalidValue } from './value-parsers';

/** Where a broker listens. */
export interface BrokerAddress {
  /** Host name or IP address (an IPv6 address without its brackets). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

const HOST_NAME = /^[A-Za-z0-9._-]+$/;
const PORT = /^\d{1,5}$/;

/**
 * Parses one broker address: `host:port`, `1.2.3.4:9092` or `[::1]:9092`, the form of KafkaJS's
 * `brokers` option and of `bootstrap.servers` entries. Blanks around the address are ignored.
 * The one parser of broker addresses in this package: settings, CLI flags, the collector's
 * options and its protocol client all go through it, so they accept and refuse the same things.
 *
 * An IPv6 address must be in brackets: in `::1:9092` nothing says where the address ends, and
 * guessing would connect to the wrong port. Throws {@link InvalidValue} saying what is wrong.
 */
export function parseBrokerAddress(text: string): BrokerAddress {
  const address = text.trim();
  const refuse = (why?: string) =>
    new InvalidValue(`'${address}' is not host:port (port 1-65535)${why ? `: ${why}` : ''}`);
  if (/\s/.test(address)) throw refuse('no blanks inside an address');
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close === -1 || address[close + 1] !== ':') throw refuse();
    host = address.slice(1, close);
    portText = address.slice(close + 2);
    if (host === '') throw refuse('the host is empty');
    if (!isIPv6(host)) throw refuse('only an IPv6 address goes in brackets');
  } else {
    const colon = address.lastIndexOf(':');
    if (colon === -1) throw refuse();
    host = address.slice(0, colon);
    portText = address.slice(colon + 1);
    if (host.includes(':')) {
      throw refuse('write an IPv6 address in brackets, as in [::1]:9092');
    }
    if (host === '') throw refuse('the host is empty');
    if (!HOST_NAME.test(host)) {
      throw refuse("a host name holds only letters, digits, '.', '-' and '_'");
    }
  }
  const port = PORT.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65_535)) throw refuse();
  return { host, port };
}

/**
 * A comma-separated list of broker addresses (`host:port[,host:port...]`, blanks around commas
 * allowed), each checked by {@link parseBrokerAddress} and returned as given, trimmed.
 */
export function parseBrokerList(text: string): string[] {
  const brokers = text
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) throw new InvalidValue('expected host:port[,host:port...]');
  for (const broker of brokers) parseBrokerAddress(broker);
  return brokers;
}

/** `host:port` (`[ipv6]:port`) of an address, the key connections are kept under. */
export function formatBrokerAddress({ host, port }: BrokerAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
