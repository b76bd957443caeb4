/**
 * What one cycle read from the brokers' JMX: one reading per Jolokia endpoint, each as exact as
 * the MBeans it came from. Values the broker does not have (a beanless API, a controller metric
 * on a broker-only node, JMX's NaN) are absent, never zero.
 */

/** Why an endpoint's reading is incomplete, as `error.type` and a short message. */
export interface EndpointError {
  errorType: string;
  message: string;
}

/** One broker's node as its Jolokia agent showed it. */
export interface BrokerEndpointReading {
  /** The Jolokia URL, without credentials. */
  readonly endpoint: string;
  /** True when the agent answered every query. */
  readonly up: boolean;
  /** The first reason it is not up. */
  readonly error?: EndpointError;
  /**
   * The broker's identity on its series: its node id (configured, or read from the
   * `kafka.server:type=app-info,id=<node id>` MBean), else the endpoint's host:port.
   * Undefined when nothing was read.
   */
  readonly broker?: number | string;
  /** Values the reply held that could not be used (wrong type, malformed, past the limits). */
  readonly skipped: number;
  /** Requests served since the broker started, per API and version (`RequestsPerSec` Count). */
  readonly requests: readonly ApiVersionCount[];
  /** Total request time percentiles per API (`TotalTimeMs`), ms. */
  readonly requestTimes: readonly ApiRequestTime[];
  /** Error responses since the broker started, per API and error (`ErrorsPerSec` Count, not NONE). */
  readonly requestErrors: readonly ApiErrorCount[];
  readonly requestQueueSize?: number;
  /** Request handler threads' idle ratio, 0..1 (the meter's one-minute rate). */
  readonly requestHandlerIdleRatio?: number;
  /** Network processor threads' idle ratio, 0..1. */
  readonly networkProcessorIdleRatio?: number;
  /** Partitions this broker leads with fewer in-sync replicas than replicas. */
  readonly underReplicatedPartitions?: number;
  /** The controller's metrics, on a node that runs a controller. */
  readonly controller?: ControllerReading;
  /** The node's view of the KRaft metadata quorum. */
  readonly raft?: RaftReading;
  /** The last metadata snapshot this node generated. */
  readonly metadataSnapshot?: MetadataSnapshotReading;
}

export interface ApiVersionCount {
  readonly api: string;
  readonly version: number;
  readonly count: number;
}

export interface ApiRequestTime {
  readonly api: string;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

export interface ApiErrorCount {
  readonly api: string;
  readonly error: string;
  readonly count: number;
}

export interface ControllerReading {
  /** 1 on the active controller, 0 on the others. */
  readonly activeControllerCount?: number;
  readonly offlinePartitions?: number;
  readonly globalPartitions?: number;
  /** Times this node has seen a new active controller since it started. */
  readonly newActiveControllers?: number;
}

/** `kafka.server:type=raft-metrics`. Latencies in ms, as Kafka reports them. */
export interface RaftReading {
  readonly state?: string;
  readonly leader?: number;
  readonly epoch?: number;
  readonly highWatermark?: number;
  readonly logEndOffset?: number;
  readonly electionLatencyAvgMs?: number;
  readonly electionLatencyMaxMs?: number;
  readonly commitLatencyAvgMs?: number;
  readonly commitLatencyMaxMs?: number;
  readonly appendRecordsRate?: number;
  readonly fetchRecordsRate?: number;
  readonly unknownVoterConnections?: number;
}

/** `kafka.server:type=SnapshotEmitter`. */
export interface MetadataSnapshotReading {
  readonly ageMs?: number;
  readonly bytes?: number;
}

/** One cycle's reading of every endpoint. */
export interface BrokerJmxSnapshot {
  /** Epoch ms at the start of the read. */
  readonly takenAt: number;
  readonly durationSeconds: number;
  readonly endpoints: readonly BrokerEndpointReading[];
}
