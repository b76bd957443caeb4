import { HttpJsonError } from '../http/http-json-client';
import type {
  ApiErrorCount,
  ApiRequestTime,
  ApiVersionCount,
  BrokerEndpointReading,
  ControllerReading,
  EndpointError,
  MetadataSnapshotReading,
  RaftReading,
} from './broker-jmx-snapshot';
import type { JolokiaClient, MBeanQuery, MBeanReading } from './jolokia-client';

/**
 * The MBeans a broker's reading is made of (names checked against Kafka 3.9 and 4.x brokers
 * through Jolokia), read in one bulk request. Each query names the attributes used, so the
 * reply stays small: RequestMetrics alone is a few hundred beans.
 */
const QUERIES = {
  appInfo: { mbean: 'kafka.server:type=app-info,id=*', attributes: ['Version'] },
  requests: {
    mbean: 'kafka.network:type=RequestMetrics,name=RequestsPerSec,*',
    attributes: ['Count'],
  },
  requestTimes: {
    mbean: 'kafka.network:type=RequestMetrics,name=TotalTimeMs,*',
    attributes: ['Count', '50thPercentile', '99thPercentile'],
  },
  requestErrors: {
    mbean: 'kafka.network:type=RequestMetrics,name=ErrorsPerSec,*',
    attributes: ['Count'],
  },
  requestQueue: {
    mbean: 'kafka.network:type=RequestChannel,name=RequestQueueSize',
    attributes: ['Value'],
  },
  handlerIdle: {
    mbean: 'kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent',
    attributes: ['OneMinuteRate'],
  },
  processorIdle: {
    mbean: 'kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent',
    attributes: ['Value'],
  },
  underReplicated: {
    mbean: 'kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions',
    attributes: ['Value'],
  },
  activeController: {
    mbean: 'kafka.controller:type=KafkaController,name=ActiveControllerCount',
    attributes: ['Value'],
  },
  offlinePartitions: {
    mbean: 'kafka.controller:type=KafkaController,name=OfflinePartitionsCount',
    attributes: ['Value'],
  },
  globalPartitions: {
    mbean: 'kafka.controller:type=KafkaController,name=GlobalPartitionCount',
    attributes: ['Value'],
  },
  newActiveControllers: {
    mbean: 'kafka.controller:type=KafkaController,name=NewActiveControllersCount',
    attributes: ['Value'],
  },
  raft: {
    mbean: 'kafka.server:type=raft-metrics',
    attributes: [
      'current-state',
      'current-leader',
      'current-epoch',
      'high-watermark',
      'log-end-offset',
      'election-latency-avg',
      'election-latency-max',
      'commit-latency-avg',
      'commit-latency-max',
      'append-records-rate',
      'fetch-records-rate',
      'number-unknown-voter-connections',
    ],
  },
  snapshotAge: {
    mbean: 'kafka.server:type=SnapshotEmitter,name=LatestSnapshotGeneratedAgeMs',
    attributes: ['Value'],
  },
  snapshotBytes: {
    mbean: 'kafka.server:type=SnapshotEmitter,name=LatestSnapshotGeneratedBytes',
    attributes: ['Value'],
  },
} satisfies Record<string, MBeanQuery>;

type QueryKey = keyof typeof QUERIES;
const QUERY_KEYS = Object.keys(QUERIES) as QueryKey[];
const QUERY_LIST: readonly MBeanQuery[] = QUERY_KEYS.map((key) => QUERIES[key]);

/** Kafka's names of KRaft states are short lowercase words; anything else is not a label. */
const STATE_NAME = /^[a-z][a-z-]{0,31}$/;
/** API and error names are Java enum-like identifiers (`Produce`, `UNKNOWN_TOPIC_OR_PARTITION`). */
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Reads one broker's node through its agent. Never rejects: an endpoint that cannot be read is
 * a reading with `up: false`, its error, and nothing else; one that refused or failed some
 * queries is `up: false` with the first failure and what the other queries read.
 */
export async function readBrokerEndpoint(
  client: JolokiaClient,
  configuredBroker: number | string | undefined,
  signal: AbortSignal,
): Promise<BrokerEndpointReading> {
  const endpoint = client.endpoint;
  let reading;
  try {
    reading = await client.read(QUERY_LIST, signal);
  } catch (error) {
    return { ...nothingRead(endpoint), error: endpointError(error) };
  }
  const byQuery = new Map<QueryKey, MBeanReading[]>(QUERY_KEYS.map((key) => [key, []]));
  for (const bean of reading.beans) byQuery.get(QUERY_KEYS[bean.query]!)!.push(bean);
  const values = new BeanValues(byQuery);
  const [failure] = reading.failures;
  const broker = configuredBroker ?? values.nodeId() ?? hostPort(endpoint);
  const controller = values.controller();
  const raft = values.raft();
  const metadataSnapshot = values.metadataSnapshot();
  const read = {
    requests: values.requests(),
    requestTimes: values.requestTimes(),
    requestErrors: values.requestErrors(),
    requestQueueSize: values.single('requestQueue', 'Value'),
    requestHandlerIdleRatio: values.single('handlerIdle', 'OneMinuteRate'),
    networkProcessorIdleRatio: values.single('processorIdle', 'Value'),
    underReplicatedPartitions: values.single('underReplicated', 'Value'),
  };
  // Last: every value above has been checked, so `values.skipped` is complete.
  return {
    endpoint,
    up: failure === undefined,
    ...(failure ? { error: { errorType: failure.errorType, message: failure.message } } : {}),
    broker,
    skipped: reading.skipped + values.skipped,
    ...defined(read),
    ...(controller ? { controller } : {}),
    ...(raft ? { raft } : {}),
    ...(metadataSnapshot ? { metadataSnapshot } : {}),
  };
}

function nothingRead(endpoint: string): BrokerEndpointReading {
  return {
    endpoint,
    up: false,
    skipped: 0,
    requests: [],
    requestTimes: [],
    requestErrors: [],
  };
}

/** The beans of one reading, by query, as the numbers and names a broker reading holds. */
class BeanValues {
  /** Values of the wrong type or shape met so far. */
  skipped = 0;

  constructor(private readonly byQuery: ReadonlyMap<QueryKey, MBeanReading[]>) {}

  /** The node id of `kafka.server:type=app-info,id=<id>`, when there is exactly one. */
  nodeId(): number | undefined {
    const ids = this.beans('appInfo')
      .map((bean) => bean.properties.id)
      .filter((id): id is string => id !== undefined && /^\d{1,10}$/.test(id));
    return ids.length === 1 ? Number(ids[0]) : undefined;
  }

  requests(): ApiVersionCount[] {
    const counts: ApiVersionCount[] = [];
    for (const bean of this.beans('requests')) {
      const api = this.identifier(bean.properties.request);
      const version = this.version(bean.properties.version);
      const count = this.number(bean, 'Count');
      if (api === undefined || version === undefined || count === undefined) continue;
      counts.push({ api, version, count });
    }
    return counts;
  }

  requestTimes(): ApiRequestTime[] {
    const times: ApiRequestTime[] = [];
    for (const bean of this.beans('requestTimes')) {
      const api = this.identifier(bean.properties.request);
      if (api === undefined) continue;
      // The histogram exists per API only; a bean with a version key is another metric's.
      if (bean.properties.version !== undefined) continue;
      // Every API has a histogram from the start; one that timed no request has no times, not 0 s.
      const timed = this.number(bean, 'Count');
      if (timed === undefined || timed === 0) continue;
      const p50Ms = this.number(bean, '50thPercentile');
      const p99Ms = this.number(bean, '99thPercentile');
      times.push({
        api,
        ...(p50Ms !== undefined && { p50Ms }),
        ...(p99Ms !== undefined && { p99Ms }),
      });
    }
    return times;
  }

  requestErrors(): ApiErrorCount[] {
    const errors: ApiErrorCount[] = [];
    for (const bean of this.beans('requestErrors')) {
      const api = this.identifier(bean.properties.request);
      const error = this.identifier(bean.properties.error);
      const count = this.number(bean, 'Count');
      // NONE counts the successful responses: not an error, and already in the request count.
      if (api === undefined || error === undefined || error === 'NONE' || count === undefined) {
        continue;
      }
      errors.push({ api, error, count });
    }
    return errors;
  }

  controller(): ControllerReading | undefined {
    const reading: ControllerReading = defined({
      activeControllerCount: this.single('activeController', 'Value'),
      offlinePartitions: this.single('offlinePartitions', 'Value'),
      globalPartitions: this.single('globalPartitions', 'Value'),
      newActiveControllers: this.single('newActiveControllers', 'Value'),
    });
    return Object.keys(reading).length > 0 ? reading : undefined;
  }

  raft(): RaftReading | undefined {
    const [bean] = this.beans('raft');
    if (!bean) return undefined;
    const state = bean.attributes['current-state'];
    const stateName = typeof state === 'string' && STATE_NAME.test(state) ? state : undefined;
    if (state !== undefined && stateName === undefined) this.skipped++;
    const leader = this.number(bean, 'current-leader');
    return defined({
      state: stateName,
      // -1: no leader known (an election under way); unknown is not exported.
      leader: leader !== undefined && leader >= 0 ? leader : undefined,
      epoch: this.number(bean, 'current-epoch'),
      highWatermark: this.number(bean, 'high-watermark'),
      logEndOffset: this.number(bean, 'log-end-offset'),
      electionLatencyAvgMs: this.number(bean, 'election-latency-avg'),
      electionLatencyMaxMs: this.number(bean, 'election-latency-max'),
      commitLatencyAvgMs: this.number(bean, 'commit-latency-avg'),
      commitLatencyMaxMs: this.number(bean, 'commit-latency-max'),
      appendRecordsRate: this.number(bean, 'append-records-rate'),
      fetchRecordsRate: this.number(bean, 'fetch-records-rate'),
      unknownVoterConnections: this.number(bean, 'number-unknown-voter-connections'),
    });
  }

  metadataSnapshot(): MetadataSnapshotReading | undefined {
    const reading: MetadataSnapshotReading = defined({
      ageMs: this.single('snapshotAge', 'Value'),
      bytes: this.single('snapshotBytes', 'Value'),
    });
    return Object.keys(reading).length > 0 ? reading : undefined;
  }

  /** An attribute of a query for one MBean (not a pattern). */
  single(key: QueryKey, attribute: string): number | undefined {
    const [bean] = this.beans(key);
    return bean ? this.number(bean, attribute) : undefined;
  }

  private beans(key: QueryKey): MBeanReading[] {
    return this.byQuery.get(key) ?? [];
  }

  /** A numeric attribute; present with another type, it is counted as skipped. */
  private number(bean: MBeanReading, attribute: string): number | undefined {
    const value = bean.attributes[attribute];
    if (value === undefined) return undefined;
    if (typeof value === 'number') return value;
    this.skipped++;
    return undefined;
  }

  private identifier(value: string | undefined): string | undefined {
    if (value !== undefined && IDENTIFIER.test(value)) return value;
    this.skipped++;
    return undefined;
  }

  private version(value: string | undefined): number | undefined {
    if (value !== undefined && /^\d{1,5}$/.test(value)) return Number(value);
    this.skipped++;
    return undefined;
  }
}

/** The object without its undefined values. */
function defined<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as T;
}

function endpointError(error: unknown): EndpointError {
  // The log line names the endpoint; the client's message starts with it too.
  if (error instanceof HttpJsonError) {
    return { errorType: error.reason, message: error.detail };
  }
  // Not expected (the client rejects with HttpJsonError only); kept as what it says it is.
  return { errorType: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** The `host:port` of a URL, the identity of an endpoint whose node id is unknown. */
function hostPort(url: string): string {
  const { hostname, port, protocol } = new URL(url);
  return `${hostname}:${port || (protocol === 'https:' ? '443' : '80')}`;
}
