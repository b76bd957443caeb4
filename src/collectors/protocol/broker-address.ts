import {
  parseBrokerAddress as parseAddress,
  type BrokerAddress,
} from '../../config/broker-address';

export { formatBrokerAddress, type BrokerAddress } from '../../config/broker-address';

/**
 * Parses `host:port`, `1.2.3.4:9092` or `[ipv6]:port` for the collector (its options and its
 * protocol client). The rules are the settings parser's (src/config/broker-address.ts), so the
 * collector, `register` and the CLI accept and refuse the same addresses; only the message is
 * the collector's own. Throws a TypeError.
 */
export function parseBrokerAddress(text: string): BrokerAddress {
  try {
    return parseAddress(text);
  } catch (error) {
    throw new TypeError(`invalid broker address: ${(error as Error).message}`, { cause: error });
  }
}
