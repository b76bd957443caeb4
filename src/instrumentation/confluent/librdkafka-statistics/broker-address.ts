/** Where a broker listens, as librdkafka names it in its statistics. */
export interface LibrdkafkaBrokerAddress {
  /** Host name or IP address; an IPv6 address without brackets. */
  readonly host: string;
  readonly port: number;
}

const PORT = /^\d{1,5}$/;

/**
 * Splits a statistics `nodename` into host and port, or nothing when it is not `host:port`.
 *
 * Not the settings parser (src/config/broker-address.ts): that one refuses an IPv6 address
 * without brackets because a user's `::1:9092` is ambiguous, but librdkafka writes learned
 * brokers as `<advertised host>:<port>` with the host as Kafka's metadata gives it, so an IPv6
 * broker arrives as `::1:9092`. librdkafka always appends the port, so the last colon is the
 * separator. A bracketed `[::1]:9092` (the form users write in `bootstrap.servers`) is read too.
 */
export function parseNodeName(nodeName: string): LibrdkafkaBrokerAddress | undefined {
  let host: string;
  let portText: string;
  if (nodeName.startsWith('[')) {
    const close = nodeName.indexOf(']');
    if (close === -1 || nodeName[close + 1] !== ':') return undefined;
    host = nodeName.slice(1, close);
    portText = nodeName.slice(close + 2);
  } else {
    const colon = nodeName.lastIndexOf(':');
    if (colon === -1) return undefined;
    host = nodeName.slice(0, colon);
    portText = nodeName.slice(colon + 1);
  }
  const port = PORT.test(portText) ? Number(portText) : 0;
  if (host === '' || port < 1 || port > 65_535) return undefined;
  return { host, port };
}
