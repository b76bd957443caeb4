import { formatBrokerAddress, type BrokerAddress } from './broker-address';
import { BrokerConnection, type ConnectionSettings } from './broker-connection';
import { BrokerRequestError } from './errors';

/** A broker of the cluster: id and address, as the last Metadata answer listed it. */
export interface KnownBroker extends BrokerAddress {
  /** Broker id. */
  readonly nodeId: number;
}

/**
 * The cluster's brokers and one reusable connection per address: seeds from the configuration,
 * node ids and addresses from Metadata (and FindCoordinator), and which broker last answered a
 * request that any broker can serve, so the next such request goes there first.
 */
export class BrokerDirectory {
  private readonly connections = new Map<string, BrokerConnection>();
  private nodes = new Map<number, KnownBroker>();
  private preferred: string | undefined;

  constructor(
    private readonly seeds: readonly BrokerAddress[],
    private readonly settings: ConnectionSettings,
  ) {}

  /** Brokers by id, from the last Metadata answer. */
  get knownBrokers(): ReadonlyMap<number, KnownBroker> {
    return this.nodes;
  }

  /** The connection to broker `nodeId`; throws `unknown-broker` when no address is known. */
  forNode(nodeId: number, api: { apiName: string; apiKey: number }): BrokerConnection {
    const node = this.nodes.get(nodeId);
    if (node === undefined) {
      throw new BrokerRequestError(
        { ...api, nodeId, broker: undefined },
        'unknown_broker',
        'no address known for this broker id (not in the last Metadata answer)',
      );
    }
    return this.connectionTo(node, nodeId);
  }

  /**
   * Connections to try, in order, for a request any broker can answer: the one that answered
   * last, then every known broker, then the seeds (each address once). Lazy: a connection is
   * only created for an address when the caller gets that far.
   */
  *anyBrokerCandidates(): Generator<BrokerConnection> {
    const tried = new Set<string>();
    const preferred =
      this.preferred === undefined ? undefined : this.connections.get(this.preferred);
    if (preferred !== undefined) {
      tried.add(preferred.address);
      yield preferred;
    }
    for (const node of this.nodes.values()) {
      const key = formatBrokerAddress(node);
      if (tried.has(key)) continue;
      tried.add(key);
      yield this.connectionTo(node, node.nodeId);
    }
    for (const seed of this.seeds) {
      const key = formatBrokerAddress(seed);
      if (tried.has(key)) continue;
      tried.add(key);
      yield this.connectionTo(seed, undefined);
    }
  }

  /** Remembers the connection that just answered a request any broker could serve. */
  answeredBy(connection: BrokerConnection): void {
    this.preferred = connection.address;
  }

  /**
   * Replaces the broker list with a Metadata answer's (live brokers only) and closes connections
   * to addresses no longer listed, so a decommissioned or re-addressed broker leaks no socket.
   */
  replaceBrokers(brokers: readonly KnownBroker[]): void {
    this.nodes = new Map(brokers.map(({ nodeId, host, port }) => [nodeId, { nodeId, host, port }]));
    const listed = new Map(brokers.map((broker) => [formatBrokerAddress(broker), broker.nodeId]));
    for (const [address, connection] of this.connections) {
      const nodeId = listed.get(address);
      if (nodeId !== undefined) {
        connection.nodeId = nodeId;
        continue;
      }
      this.connections.delete(address);
      // In-flight requests on it finish first (or time out); nobody waits for the close.
      connection.disconnect().catch(() => undefined);
    }
  }

  /** Adds a broker learned elsewhere (e.g. a coordinator) when Metadata did not list it. */
  addBroker({ nodeId, host, port }: KnownBroker): void {
    if (!this.nodes.has(nodeId)) this.nodes.set(nodeId, { nodeId, host, port });
  }

  /** Closes every connection (never throws: a socket that fails to close is gone anyway). */
  async disconnectAll(): Promise<void> {
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.preferred = undefined;
    await Promise.allSettled(connections.map((connection) => connection.disconnect()));
  }

  private connectionTo(address: BrokerAddress, nodeId: number | undefined): BrokerConnection {
    const key = formatBrokerAddress(address);
    let connection = this.connections.get(key);
    if (connection === undefined) {
      connection = new BrokerConnection(address.host, address.port, this.settings);
      this.connections.set(key, connection);
    }
    if (nodeId !== undefined) connection.nodeId = nodeId;
    return connection;
  }
}
