import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  isWrapped,
} from '@opentelemetry/instrumentation';
import type {
  Admin,
  Consumer,
  ConsumerConfig,
  Kafka,
  KafkaConfig,
  Message,
  Producer,
} from 'kafkajs';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { ClientInstruments } from './client-instruments';
import { ClusterIds } from './cluster-ids';
import { connectionConnectPatch, connectionSendPatch } from './connection-patch';
import { ConsumerLagTable } from './consumer-lag-table';
import { instrumentConsumer } from './consumer-patch';
import type {
  ClientInfo,
  GroupMessagesPerPartition,
  KafkaConnectionClass,
  MessagesPerPartition,
  Telemetry,
} from './internal-types';
import { instrumentProducer } from './producer-patch';
import { safely } from './patch-support';
import {
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_SYSTEM_KAFKA,
} from './semconv';
import type { KafkaJsInstrumentationConfig } from './types';

/** KafkaJS releases whose internals (connection.js, groupMessagesPerPartition.js) match ours. */
const SUPPORTED_VERSIONS = ['>=2.0.0 <3'];

type KafkaModule = { Kafka: typeof Kafka };

const ORIGINAL_CLASS = Symbol.for('kafka-otel.original-kafka-class');
const UNKNOWN_CLIENT: ClientInfo = {
  clientId: undefined,
  serverAddress: undefined,
  serverPort: undefined,
};

/** The KafkaJS `Kafka` class itself, also when the export is our config-capturing subclass. */
function originalKafkaClass(moduleExports: KafkaModule): typeof Kafka {
  const exported = moduleExports.Kafka as typeof Kafka & { [ORIGINAL_CLASS]?: typeof Kafka };
  return exported[ORIGINAL_CLASS] ?? exported;
}

/**
 * OpenTelemetry instrumentation for KafkaJS 2.x: producer, consumer and admin spans with W3C
 * context propagation, messaging semantic-convention metrics, Kafka protocol request metrics per
 * API and broker, and consumer group telemetry. Same constructor shape as
 * `@opentelemetry/instrumentation-kafkajs`.
 */
export class KafkaJsInstrumentation extends InstrumentationBase<KafkaJsInstrumentationConfig> {
  // `declare`: set from the base constructor (via _updateMetricInstruments), which runs before
  // field initialisers would; an initialiser here would wipe the instruments again.
  declare private _instruments: ClientInstruments;
  declare private _lagTable: ConsumerLagTable | undefined;
  private readonly _partitionGrouping = new WeakMap<Message[], MessagesPerPartition>();
  private readonly _clusterIds = new ClusterIds();
  private readonly _clients = new WeakMap<object, ClientInfo>();
  private _telemetry: Telemetry | undefined;

  constructor(config: KafkaJsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Creates the instruments on the current meter (called by the base class on every provider change). */
  protected override _updateMetricInstruments() {
    this._lagTable ??= new ConsumerLagTable();
    const table = this._lagTable;
    this._instruments = new ClientInstruments(this.meter, () => table.points());
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'kafkajs',
      SUPPORTED_VERSIONS,
      (moduleExports: KafkaModule) => this._patchClient(moduleExports),
      (moduleExports: KafkaModule) => this._unpatchClient(moduleExports),
      [
        new InstrumentationNodeModuleFile(
          'kafkajs/src/network/connection.js',
          SUPPORTED_VERSIONS,
          (Connection: KafkaConnectionClass) => this._patchConnection(Connection),
          (Connection: KafkaConnectionClass) => this._unpatchConnection(Connection),
        ),
        new InstrumentationNodeModuleFile(
          'kafkajs/src/producer/groupMessagesPerPartition.js',
          SUPPORTED_VERSIONS,
          (group: GroupMessagesPerPartition) => this._recordPartitionGrouping(group),
          // The wrapper is captured by sendMessages.js at load time and cannot be taken back;
          // it is a pass-through while the instrumentation is disabled.
          (group: GroupMessagesPerPartition) => group,
        ),
      ],
    );
  }

  /** The live view the patches read: provider or config changes apply to clients already made. */
  private get telemetry(): Telemetry {
    if (!this._telemetry) {
      const live = {
        partitionGrouping: this._partitionGrouping,
        clusterIds: this._clusterIds,
        isEnabled: () => this.isEnabled(),
      };
      Object.defineProperties(live, {
        tracer: { get: () => this.tracer },
        instruments: { get: () => this._instruments },
        config: { get: () => this.getConfig() },
        diag: { get: () => this._diag },
        consumerLag: { get: () => (this._lagTable ??= new ConsumerLagTable()) },
      });
      this._telemetry = live as Telemetry;
    }
    return this._telemetry;
  }

  private _patchClient(moduleExports: KafkaModule) {
    const Original = originalKafkaClass(moduleExports);
    const telemetry = this.telemetry;
    const clientInfo = (kafka: object) => this._clients.get(kafka) ?? UNKNOWN_CLIENT;

    this._wrapFactory(Original.prototype, 'producer', (producer: Producer, kafka) => {
      instrumentProducer(producer, telemetry, clientInfo(kafka));
      listenToClientEvents(telemetry, producer);
    });
    this._wrapFactory(Original.prototype, 'consumer', (consumer: Consumer, kafka, config) => {
      const groupId = (config as ConsumerConfig | undefined)?.groupId ?? '';
      instrumentConsumer(consumer, telemetry, clientInfo(kafka), groupId);
      listenToClientEvents(telemetry, consumer);
    });
    this._wrapFactory(Original.prototype, 'admin', (admin: Admin) =>
      listenToClientEvents(telemetry, admin),
    );
    moduleExports.Kafka = this._configCapturingSubclass(Original);
    return moduleExports;
  }

  private _unpatchClient(moduleExports: KafkaModule) {
    const Original = originalKafkaClass(moduleExports);
    this._unwrap(Original.prototype, 'producer');
    this._unwrap(Original.prototype, 'consumer');
    this._unwrap(Original.prototype, 'admin');
    moduleExports.Kafka = Original;
    return moduleExports;
  }

  /** Wraps `Kafka#producer|consumer|admin` so each client it returns gets instrumented. */
  private _wrapFactory<Client>(
    proto: Kafka,
    method: 'producer' | 'consumer' | 'admin',
    instrument: (client: Client, kafka: Kafka, config: unknown) => void,
  ) {
    const telemetry = this.telemetry;
    if (isWrapped(proto[method])) this._unwrap(proto, method);
    this._wrap(proto, method, (original) => {
      const factory = original as (this: Kafka, config?: unknown) => Client;
      return function instrumentedFactory(this: Kafka, config?: unknown) {
        const client = factory.call(this, config);
        if (telemetry.isEnabled()) {
          safely(telemetry, method, () => instrument(client, this, config));
        }
        return client;
      } as Kafka[typeof method];
    });
  }

  /**
   * KafkaJS keeps clientId and brokers in a constructor closure the prototype methods cannot
   * see. A subclass exported under the same name remembers them per client; the original class
   * stays reachable for `disable()`, which puts it back.
   */
  private _configCapturingSubclass(Original: typeof Kafka): typeof Kafka {
    const clients = this._clients;
    class Kafka extends Original {
      constructor(config: KafkaConfig) {
        super(config);
        try {
          clients.set(this, describeConfig(config));
        } catch {
          // A config KafkaJS accepted but we cannot read: spans just lack the broker address.
        }
      }
    }
    Object.defineProperty(Kafka, ORIGINAL_CLASS, { value: Original });
    return Kafka;
  }

  private _patchConnection(Connection: KafkaConnectionClass) {
    const proto = Connection.prototype;
    if (isWrapped(proto.send)) this._unwrap(proto, 'send');
    this._wrap(proto, 'send', connectionSendPatch(this.telemetry));
    if (isWrapped(proto.connect)) this._unwrap(proto, 'connect');
    this._wrap(proto, 'connect', connectionConnectPatch(this.telemetry));
    return Connection;
  }

  private _unpatchConnection(Connection: KafkaConnectionClass) {
    this._unwrap(Connection.prototype, 'send');
    this._unwrap(Connection.prototype, 'connect');
  }

  private _recordPartitionGrouping(group: GroupMessagesPerPartition): GroupMessagesPerPartition {
    const grouping = this._partitionGrouping;
    const telemetry = this.telemetry;
    return function groupMessagesPerPartition(args) {
      const result = group(args);
      if (telemetry.isEnabled() && Array.isArray(args?.messages))
        grouping.set(args.messages, result);
      return result;
    };
  }
}

/** clientId and the first bootstrap broker; brokers may also be a function (discovery). */
function describeConfig(config: KafkaConfig): ClientInfo {
  const first = Array.isArray(config?.brokers) ? config.brokers[0] : undefined;
  let serverAddress: string | undefined;
  let serverPort: number | undefined;
  if (typeof first === 'string') {
    const separator = first.lastIndexOf(':');
    serverAddress = separator > 0 ? first.slice(0, separator) : first;
    const port = separator > 0 ? Number(first.slice(separator + 1)) : NaN;
    serverPort = Number.isInteger(port) ? port : undefined;
  }
  return { clientId: config?.clientId, serverAddress, serverPort };
}

interface QueueSizeEvent {
  payload: { broker: string; queueSize: number };
}

/**
 * Listens to the client's events every kind has: `request_queue_size` feeds
 * `kafka.client.request.queue.size`, and the `<kind>.connect` listener (a no-op) is what lets
 * the connection patch tell producer, consumer and admin connections apart.
 */
function listenToClientEvents(telemetry: Telemetry, client: Producer | Consumer | Admin) {
  const onConnect = client.on as unknown as (name: string, listener: () => void) => void;
  onConnect(client.events.CONNECT, () => undefined);
  const eventName = client.events.REQUEST_QUEUE_SIZE;
  // KafkaJS types `on` as an overload per event; this event has the same payload for all three.
  const on = client.on as unknown as (
    name: string,
    listener: (event: QueueSizeEvent) => void,
  ) => void;
  on(eventName, (event) => {
    if (!telemetry.isEnabled()) return;
    safely(telemetry, eventName, () => {
      const { broker, queueSize } = event.payload;
      const separator = broker.lastIndexOf(':');
      telemetry.instruments.requestQueueSize.record(queueSize, {
        [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
        [ATTR_SERVER_ADDRESS]: broker.slice(0, separator),
        [ATTR_SERVER_PORT]: Number(broker.slice(separator + 1)),
      });
    });
  });
}
