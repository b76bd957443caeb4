/**
 * Cluster ids learned from Metadata responses (v2+ carry `cluster_id`), per broker address, so
 * spans can say which cluster a message went to (`kafka.cluster.id`) without an extra request.
 * Bounded: a process talks to few clusters, but a misbehaving one could advertise many brokers.
 */
export class ClusterIds {
  private readonly byBroker = new Map<string, string>();

  constructor(private readonly limit = 1_000) {}

  /** Records the cluster id of a Metadata answer for the broker that sent it and every broker it lists. */
  learn(answeredBy: string, metadata: unknown) {
    if (typeof metadata !== 'object' || metadata === null) return;
    const { clusterId, brokers } = metadata as { clusterId?: unknown; brokers?: unknown };
    if (typeof clusterId !== 'string' || clusterId === '') return;
    this.remember(answeredBy, clusterId);
    if (!Array.isArray(brokers)) return;
    for (const broker of brokers as { host?: unknown; port?: unknown }[]) {
      if (typeof broker?.host === 'string' && typeof broker.port === 'number') {
        this.remember(`${broker.host}:${broker.port}`, clusterId);
      }
    }
  }

  /** The cluster id for `host:port`, when a Metadata answer named it. */
  of(host: string | undefined, port: number | undefined): string | undefined {
    return host === undefined ? undefined : this.byBroker.get(`${host}:${port}`);
  }

  private remember(broker: string, clusterId: string) {
    if (this.byBroker.size < this.limit || this.byBroker.has(broker)) {
      this.byBroker.set(broker, clusterId);
    }
  }
}
