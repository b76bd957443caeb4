import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
} from '@opentelemetry/instrumentation';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../version';
import { ClusterIds } from '../kafkajs/cluster-ids';
import { Recorder } from '../recorder/recorder';
import { resolveSettings, type InstrumentationSettings } from '../settings';
import type { ConfluentKafkaInstrumentationConfig } from '../types';
import { instrumentedConsumerClass, instrumentedProducerClass } from './client-classes';
import type {
  ClientClass,
  ConfluentConsumer,
  ConfluentProducer,
  LibrdkafkaConsumerModule,
  LibrdkafkaProducerModule,
} from './confluent-internals';
import type { ConfluentTelemetry } from './confluent-telemetry';
import { assignmentPatch, consumePatch } from './consumer';
import { learnLibrdkafkaCodes } from './librdkafka-errors';
import { producePatch } from './producer';
import { LibrdkafkaStatisticsMetrics } from './statistics-metrics';

/** Releases whose internal files (named below) match what the patches expect. */
const SUPPORTED_VERSIONS = ['>=1.0.0 <2'];
const MODULE = '@confluentinc/kafka-javascript';
const DEFAULT_STATISTICS_INTERVAL_MS = 5_000;

/**
 * OpenTelemetry instrumentation for Confluent's `@confluentinc/kafka-javascript` through its
 * KafkaJS-compatible API: the same spans (send, process, poll, commit, transaction,
 * send_offsets), the same context propagation and the same metrics as
 * {@link KafkaJsInstrumentation}, fed into the same recorder code, so a dashboard does not care
 * which client an application uses; plus the statistics librdkafka emits (per-broker round trip,
 * queues, requests, per-partition lag) as metrics.
 *
 * A separate instrumentation rather than a second module of the KafkaJS one: the two libraries
 * share an API, not code, and an application (or `OTEL_NODE_DISABLED_INSTRUMENTATIONS`) can turn
 * either off on its own. It replaces the KafkaJS API's `Producer` and `Consumer` classes with
 * subclasses, the only way to see the configuration each client is constructed with (kept in
 * private fields), and wraps the librdkafka client underneath where each message is produced,
 * each fetch returns and each assignment changes.
 */
export class ConfluentKafkaInstrumentation extends InstrumentationBase<ConfluentKafkaInstrumentationConfig> {
  // `declare`: set from the base constructor before field initialisers would run (see the
  // KafkaJS instrumentation).
  declare private _settings: InstrumentationSettings;
  declare private _statisticsIntervalMs: number;
  declare private _recorder: Recorder | undefined;
  declare private _statistics: LibrdkafkaStatisticsMetrics | undefined;
  declare private _telemetry: ConfluentTelemetry | undefined;

  constructor(config: ConfluentKafkaInstrumentationConfig = {}) {
    super(`${PACKAGE_NAME}`, PACKAGE_VERSION, config);
  }

  override setConfig(config: ConfluentKafkaInstrumentationConfig = {}) {
    super.setConfig(config);
    this._settings = resolveSettings(config);
    const interval = config.statisticsIntervalMs;
    this._statisticsIntervalMs =
      typeof interval === 'number' && Number.isInteger(interval) && interval >= 0
        ? interval
        : DEFAULT_STATISTICS_INTERVAL_MS;
  }

  /** Called by the base class on every MeterProvider change: instruments move to the new meter. */
  protected override _updateMetricInstruments() {
    if (this._recorder) this._recorder.useMeter(this.meter);
    else this._recorder = new Recorder(this.meter);
    if (this._statistics) this._statistics.useMeter(this.meter);
    else this._statistics = new LibrdkafkaStatisticsMetrics(this.meter, this._recorder, this._diag);
  }

  protected init() {
    const telemetry = this.telemetry;
    const file = <Exports>(
      name: string,
      patch: (exports: Exports) => Exports,
      unpatch: (exports: Exports) => void,
    ) => new InstrumentationNodeModuleFile(`${MODULE}/${name}`, SUPPORTED_VERSIONS, patch, unpatch);
    /**
     * A file hook putting an instrumented subclass in place of the class a module exports; the
     * unpatch puts the module's own class back. Each instance keeps the class it replaced.
     */
    const classFile = <Name extends string, Client>(
      name: string,
      exported: Name,
      instrumented: (Class: ClientClass<Client>) => ClientClass<Client>,
    ) => {
      type Exports = Record<Name, ClientClass<Client>>;
      const replaced = new WeakMap<object, ClientClass<Client>>();
      return file<Exports>(
        name,
        (exports) => {
          if (!replaced.has(exports)) replaced.set(exports, exports[exported]);
          exports[exported] = instrumented(replaced.get(exports)!);
          return exports;
        },
        (exports) => {
          const original = replaced.get(exports);
          if (original) exports[exported] = original;
        },
      );
    };
    return new InstrumentationNodeModuleDefinition(
      MODULE,
      SUPPORTED_VERSIONS,
      (moduleExports: unknown) => moduleExports,
      undefined,
      [
        classFile<'Producer', ConfluentProducer>('lib/kafkajs/_producer.js', 'Producer', (Class) =>
          instrumentedProducerClass(telemetry, Class),
        ),
        classFile<'Consumer', ConfluentConsumer>('lib/kafkajs/_consumer.js', 'Consumer', (Class) =>
          instrumentedConsumerClass(telemetry, Class),
        ),
        file(
          'lib/producer.js',
          (Producer: LibrdkafkaProducerModule) => {
            wrapOnce(Producer.prototype, 'produce', producePatch());
            return Producer;
          },
          () => undefined,
        ),
        file(
          'lib/kafka-consumer.js',
          (KafkaConsumer: LibrdkafkaConsumerModule) => {
            const prototype = KafkaConsumer.prototype as LibrdkafkaConsumerModule['prototype'] &
              Record<AssignmentMethod, (...args: never[]) => unknown>;
            wrapOnce(prototype, 'consume', consumePatch());
            for (const method of ASSIGNING)
              wrapOnce(prototype, method, assignmentPatch('assigned'));
            for (const method of REVOKING) wrapOnce(prototype, method, assignmentPatch('revoked'));
            return KafkaConsumer;
          },
          () => undefined,
        ),
        file(
          'lib/error.js',
          (LibrdKafkaError: { codes?: unknown }) => {
            learnLibrdkafkaCodes(LibrdKafkaError?.codes);
            return LibrdKafkaError;
          },
          () => undefined,
        ),
      ],
    );
  }

  /** The live view the patches read: provider or config changes apply to clients already made. */
  private get telemetry(): ConfluentTelemetry {
    if (!this._telemetry) {
      const live = { clusterIds: new ClusterIds(), isEnabled: () => this.isEnabled() };
      Object.defineProperties(live, {
        tracer: { get: () => this.tracer },
        recorder: { get: () => this._recorder },
        statistics: { get: () => this._statistics },
        statisticsIntervalMs: { get: () => this._statisticsIntervalMs },
        settings: { get: () => this._settings },
        diag: { get: () => this._diag },
      });
      this._telemetry = live as ConfluentTelemetry;
    }
    return this._telemetry;
  }
}

/** Marks the librdkafka methods wrapped by any instance of this instrumentation. */
const WRAPPED_ONCE = Symbol.for('kafka-otel.confluent.wrapped');

/**
 * Wraps a method of librdkafka's producer or consumer, once per process. The wrappers serve
 * every instance of the instrumentation: they find the send or consumer a call belongs to, and
 * that carries its own instrumentation's telemetry, so a second instance (register's beside the
 * application's own) adds nothing, and disabling one never takes another's away. They are not
 * removed on disable(): they pass straight through when nothing enabled is behind a call.
 */
function wrapOnce<Target extends object, Name extends keyof Target & string>(
  target: Target,
  name: Name,
  wrapper: (original: Target[Name]) => Target[Name],
) {
  const current = target[name] as { [WRAPPED_ONCE]?: true } | undefined;
  if (typeof current !== 'function' || current[WRAPPED_ONCE]) return;
  const wrapped = wrapper(target[name]);
  Object.defineProperty(wrapped, WRAPPED_ONCE, { value: true });
  target[name] = wrapped;
}

type AssignmentMethod = 'assign' | 'incrementalAssign' | 'unassign' | 'incrementalUnassign';
const ASSIGNING: AssignmentMethod[] = ['assign', 'incrementalAssign'];
const REVOKING: AssignmentMethod[] = ['unassign', 'incrementalUnassign'];
