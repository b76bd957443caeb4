/** The kinds of Kafka client the instrumentation tells apart on connections. */
export type ClientKind = 'producer' | 'consumer' | 'admin';

/**
 * Who a client is, captured once where the Kafka library creates it: the attributes its spans
 * and connection metrics carry.
 */
export interface ClientIdentity {
  kind: ClientKind | undefined;
  clientId: string | undefined;
  /** First bootstrap broker, for server.address / server.port on message spans. */
  serverAddress: string | undefined;
  serverPort: number | undefined;
}

export const UNKNOWN_CLIENT: ClientIdentity = Object.freeze({
  kind: undefined,
  clientId: undefined,
  serverAddress: undefined,
  serverPort: undefined,
});

/** Splits `host:port` (the port after the last colon, so IPv6 literals keep theirs). */
export function splitHostPort(broker: string): { host: string; port: number | undefined } {
  const separator = broker.lastIndexOf(':');
  if (separator <= 0) return { host: broker, port: undefined };
  const port = Number(broker.slice(separator + 1));
  return {
    host: broker.slice(0, separator),
    port: Number.isInteger(port) && port > 0 ? port : undefined,
  };
}
