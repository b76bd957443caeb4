import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  isWrapped,
} from '@opentelemetry/instrumentation';
import type { Admin, Consumer, Message, Producer } from 'kafkajs';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../version';
import type { ClientKind } from '../client-identity';
import { Recorder } from '../recorder/recorder';
import { resolveSettings, type InstrumentationSettings } from '../settings';
import { safely } from '../settle';
import type { KafkaJsInstrumentationConfig } from '../types';
import { ClientRegistry } from './client-registry';
import { ClusterIds } from './cluster-ids';
import { instrumentConsumer } from './consumer';
import { offsetCommitPatch } from './consumer-group';
import type {
  ClientFactory,
  ConnectionPoolBuilder,
  GroupMessagesPerPartition,
  KafkaConnectionClass,
  MessagesPerPartition,
  OffsetManagerClass,
} from './kafkajs-internals';
import type { KafkaJsTelemetry } from './kafkajs-telemetry';
import { instrumentProducer } from './producer';
import { connectionConnectPatch, connectionSendPatch, listenToRequestQueue } from './request-layer';

/** KafkaJS releases whose internal files (the ones named below) match what the patches expect. */
const SUPPORTED_VERSIONS = ['>=2.0.0 <3'];

/**
 * OpenTelemetry instrumentation for KafkaJS 2.x: producer, consumer and admin spans with context
 * propagation through the global propagator (W3C, B3, Jaeger, any; baggage included), messaging
 * semantic-convention metrics, Kafka protocol request metrics per API and broker, and consumer
 * group telemetry. Same constructor shape as `@opentelemetry/instrumentation-kafkajs`.
 *
 * It patches KafkaJS's internal files, never the exported `Kafka` class: the client factories
 * (`producer/index.js`, `consumer/index.js`, `admin/index.js`) and the cluster's connection pool
 * builder receive each client's identity; `network/connection.js` sees every request;
 * `producer/groupMessagesPerPartition.js` where each message went; `consumer/offsetManager`
 * every commit. Modules KafkaJS captured at load cannot be handed back: after `disable()` those
 * wrappers pass straight through.
 */
export class KafkaJsInstrumentation extends InstrumentationBase<KafkaJsInstrumentationConfig> {
  // `declare`: set from the base constructor (setConfig, _updateMetricInstruments, init), which
  // runs before field initialisers would; an initialiser here would wipe them again.
  declare private _settings: InstrumentationSettings;
  declare private _recorder: Recorder | undefined;
  declare private _telemetry: KafkaJsTelemetry | undefined;

  constructor(config: KafkaJsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
    readPackageVersionsOnce(this);
  }

  override setConfig(config: KafkaJsInstrumentationConfig = {}) {
    super.setConfig(config);
    this._settings = resolveSettings(config);
  }

  /** Called by the base class on every MeterProvider change: the recorder moves to the new meter. */
  protected override _updateMetricInstruments() {
    if (this._recorder) this._recorder.useMeter(this.meter);
    else this._recorder = new Recorder(this.meter);
  }

  protected init() {
    const telemetry = this.telemetry;
    const file = <Exports>(
      name: string,
      patch: (exports: Exports) => Exports,
      unpatch: (exports: Exports) => void = () => undefined,
    ) =>
      new InstrumentationNodeModuleFile(`kafkajs/src/${name}`, SUPPORTED_VERSIONS, patch, unpatch);
    return new InstrumentationNodeModuleDefinition(
      'kafkajs',
      SUPPORTED_VERSIONS,
      (moduleExports: unknown) => moduleExports,
      undefined,
      [
        file('cluster/connectionPoolBuilder.js', (build: ConnectionPoolBuilder) =>
          noteClientOptions(telemetry, build),
        ),
        file('producer/index.js', (create: ClientFactory<Producer>) =>
          instrumentFactory(telemetry, 'producer', create, (producer, identity) => {
            instrumentProducer(producer, telemetry, identity);
            listenToRequestQueue(telemetry, producer);
          }),
        ),
        file('consumer/index.js', (create: ClientFactory<Consumer>) =>
          instrumentFactory(telemetry, 'consumer', create, (consumer, identity, options) => {
            const group = typeof options?.groupId === 'string' ? options.groupId : '';
            instrumentConsumer(consumer, telemetry, identity, group);
            listenToRequestQueue(telemetry, consumer);
          }),
        ),
        file('admin/index.js', (create: ClientFactory<Admin>) =>
          instrumentFactory(telemetry, 'admin', create, (admin) =>
            listenToRequestQueue(telemetry, admin),
          ),
        ),
        file('producer/groupMessagesPerPartition.js', (group: GroupMessagesPerPartition) =>
          notePartitionGrouping(telemetry, group),
        ),
        file(
          'network/connection.js',
          (Connection: KafkaConnectionClass) => {
            this._rewrap(Connection.prototype, 'send', connectionSendPatch(telemetry));
            this._rewrap(Connection.prototype, 'connect', connectionConnectPatch(telemetry));
            return Connection;
          },
          (Connection) => {
            this._unwrap(Connection.prototype, 'send');
            this._unwrap(Connection.prototype, 'connect');
          },
        ),
        file(
          'consumer/offsetManager/index.js',
          (OffsetManager: OffsetManagerClass) => {
            this._rewrap(OffsetManager.prototype, 'commitOffsets', offsetCommitPatch(telemetry));
            return OffsetManager;
          },
          (OffsetManager) => this._unwrap(OffsetManager.prototype, 'commitOffsets'),
        ),
      ],
    );
  }

  /** The live view the patches read: provider or config changes apply to clients already made. */
  private get telemetry(): KafkaJsTelemetry {
    if (!this._telemetry) {
      const live = {
        clients: new ClientRegistry(),
        clusterIds: new ClusterIds(),
        partitionGrouping: new WeakMap<Message[], MessagesPerPartition>(),
        isEnabled: () => this.isEnabled(),
      };
      Object.defineProperties(live, {
        tracer: { get: () => this.tracer },
        recorder: { get: () => this._recorder },
        settings: { get: () => this._settings },
        diag: { get: () => this._diag },
      });
      this._telemetry = live as KafkaJsTelemetry;
    }
    return this._telemetry;
  }

  /** Wraps a prototype method, unwrapping first so enable() after disable() never wraps twice. */
  private _rewrap<Target extends object, Name extends keyof Target & string>(
    target: Target,
    name: Name,
    wrapper: (original: Target[Name]) => Target[Name],
  ) {
    if (isWrapped(target[name])) this._unwrap(target, name);
    this._wrap(target, name, wrapper);
  }
}

/**
 * KafkaJS requires its protocol modules lazily, several for every request it sends, and the
 * instrumentation base class reads the package's package.json on each such require to learn its
 * version: a file read and a JSON parse per request, measured at a few percent of a producer's
 * CPU. A package's version does not change while the process runs, so it is read once per
 * directory. (A base class without this method simply keeps its own behaviour.)
 */
function readPackageVersionsOnce(instrumentation: object) {
  type VersionReader = (baseDir: string) => string | undefined;
  const target = instrumentation as { _extractPackageVersion?: VersionReader };
  const read = target._extractPackageVersion;
  if (typeof read !== 'function') return;
  const versions = new Map<string, string | undefined>();
  target._extractPackageVersion = function packageVersionReadOnce(this: unknown, baseDir) {
    if (!versions.has(baseDir)) versions.set(baseDir, read.call(this, baseDir));
    return versions.get(baseDir);
  };
}

/** `connectionPoolBuilder(options)` is called once per client with its id and brokers. */
function noteClientOptions(
  telemetry: KafkaJsTelemetry,
  build: ConnectionPoolBuilder,
): ConnectionPoolBuilder {
  return function connectionPoolBuilder(this: unknown, options) {
    if (telemetry.isEnabled()) {
      safely(telemetry.diag, 'client', () =>
        telemetry.clients.noteConnectionOptions(
          options?.instrumentationEmitter,
          options?.clientId,
          options?.brokers,
        ),
      );
    }
    return build.call(this, options);
  };
}

/** A client factory whose clients get instrumented, with the identity KafkaJS gave them. */
function instrumentFactory<Client extends object>(
  telemetry: KafkaJsTelemetry,
  kind: ClientKind,
  create: ClientFactory<Client>,
  instrument: (
    client: Client,
    identity: ReturnType<ClientRegistry['noteKind']>,
    options: Parameters<ClientFactory<Client>>[0] | undefined,
  ) => void,
): ClientFactory<Client> {
  return function instrumentedFactory(this: unknown, options) {
    const client = create.call(this, options);
    if (telemetry.isEnabled()) {
      safely(telemetry.diag, kind, () => {
        const identity = telemetry.clients.noteKind(options?.instrumentationEmitter, kind);
        instrument(client, identity, options);
      });
    }
    return client;
  };
}

/**
 * `groupMessagesPerPartition` tells where the partitioner put each message of a send. The
 * wrapper is captured by sendMessages.js at load time and is a pass-through while disabled.
 */
function notePartitionGrouping(
  telemetry: KafkaJsTelemetry,
  group: GroupMessagesPerPartition,
): GroupMessagesPerPartition {
  return function groupMessagesPerPartition(args) {
    const result = group(args);
    if (telemetry.isEnabled() && Array.isArray(args?.messages)) {
      telemetry.partitionGrouping.set(args.messages, result);
    }
    return result;
  };
}
