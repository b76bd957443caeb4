/**
 * The producer and consumer classes the instrumented `@confluentinc/kafka-javascript` exports in
 * place of its own: subclasses that see the configuration each client is constructed with (its
 * identity, its group, whether librdkafka emits statistics), which the client keeps in private
 * fields, and route its public calls through the instrumentation. While the instrumentation is
 * disabled, or for a client constructed while it was, every method is the client's own.
 */
import { markInstrumented } from '../kafkajs/instrumented-mark';
import { safely, settle } from '../settle';
import { groupOf, identityOf, withStatisticsInterval } from './client-config';
import type {
  ClientClass,
  ConfluentClientConfig,
  ConfluentConsumer,
  ConfluentProducer,
} from './confluent-internals';
import type { ConfluentTelemetry } from './confluent-telemetry';
import { groupOfConsumer, InstrumentedConsumer } from './consumer';
import { ProducerSends } from './producer';
import { listenToStatistics } from './statistics-listener';

const producerSends = new WeakMap<object, ProducerSends>();
/** The librdkafka producers already listened to (a second connect() keeps the first). */
const listenedProducers = new WeakSet<object>();
const consumers = new WeakMap<object, InstrumentedConsumer>();

/**
 * The client's own methods that call its public `commitOffsets`: a seek's commit of the position
 * it rewound to (after a handler failed, with auto-commit on) and `eachBatch`'s
 * `commitOffsetsIfNecessary`. The application made no commit call there, so no `commit` span
 * (KafkaJS makes those commits without passing through `commitOffsets` either); librdkafka still
 * reports them, so they are counted in `kafka.consumer.commits`.
 */
const CLIENT_COMMIT_CALLERS =
  /#commitOffsetsUntilNoStateErr|#eachBatchPayload_commitOffsetsIfNecessary/;

/**
 * Whether the current `commitOffsets` call comes from one of those methods. Read from the call
 * stack, which costs a few microseconds per commit call, and a commit is a network round trip:
 * the alternative, marking every handler call, would cost each message. Should the client rename
 * the methods, its own commits get spans again; nothing else changes.
 */
function calledByTheClient(): boolean {
  const limit = Error.stackTraceLimit;
  // An application's own stack formatter would change the text, or throw into its commit call.
  const errors = Error as { prepareStackTrace?: unknown };
  const prepare = errors.prepareStackTrace;
  try {
    Error.stackTraceLimit = 6;
    errors.prepareStackTrace = undefined;
    const holder: { stack?: string } = {};
    Error.captureStackTrace(holder, calledByTheClient);
    return typeof holder.stack === 'string' && CLIENT_COMMIT_CALLERS.test(holder.stack);
  } catch {
    return false;
  } finally {
    Error.stackTraceLimit = limit;
    errors.prepareStackTrace = prepare;
  }
}

/** What the per-client state of an instrumentation holds: the instrumentation it belongs to. */
interface Owned {
  readonly telemetry: ConfluentTelemetry;
}

/**
 * A client's state when it belongs to `telemetry`'s instrumentation. With two instances (the
 * application's own and register's, say) each puts its subclass on top of the other's, and the
 * state maps are the module's: only the instance that made a client's state observes it.
 */
function ownedBy<State extends Owned>(
  telemetry: ConfluentTelemetry,
  client: object,
  states: WeakMap<object, State>,
): State | undefined {
  const state = states.get(client);
  return state?.telemetry === telemetry ? state : undefined;
}

/** The `Producer` class to export: every producer gets its sends and transactions observed. */
export function instrumentedProducerClass(
  telemetry: ConfluentTelemetry,
  Producer: ClientClass<ConfluentProducer>,
): ClientClass<ConfluentProducer> {
  const Base = Producer as unknown as new (config: unknown) => ConfluentProducer;
  class InstrumentedProducer extends Base {
    constructor(config: ConfluentClientConfig) {
      const observed = telemetry.isEnabled();
      super(observed ? withStatisticsInterval(config, telemetry.statisticsIntervalMs) : config);
      if (!observed || !markInstrumented(this)) return;
      safely(telemetry.diag, 'producer', () => {
        producerSends.set(this, new ProducerSends(telemetry, identityOf('producer', config ?? {})));
      });
    }

    override connect() {
      const result = super.connect();
      const sends = observed(this, producerSends);
      const internal = sends ? this._getInternalClient() : null;
      if (sends && internal && !listenedProducers.has(internal)) {
        listenedProducers.add(internal);
        safely(telemetry.diag, 'producer', () =>
          listenToStatistics(telemetry, internal, this, {
            kind: 'producer',
            clientId: sends.client.clientId,
            group: undefined,
          }),
        );
      }
      return result;
    }

    override send(record: Parameters<ConfluentProducer['send']>[0]) {
      const sends = observed(this, producerSends);
      if (!sends) return super.send(record);
      return sends.send(record, () => super.send(record));
    }

    override sendBatch(batch: Parameters<ConfluentProducer['sendBatch']>[0]) {
      const sends = observed(this, producerSends);
      if (!sends) return super.sendBatch(batch);
      return sends.sendBatch(batch, () => super.sendBatch(batch));
    }

    override transaction() {
      const sends = observed(this, producerSends);
      if (!sends) return super.transaction();
      return sends.transactions.begin(() => super.transaction());
    }

    override commit() {
      const sends = observed(this, producerSends);
      if (!sends) return super.commit();
      return sends.transactions.end('commit', () => super.commit());
    }

    override abort() {
      const sends = observed(this, producerSends);
      if (!sends) return super.abort();
      return sends.transactions.end('abort', () => super.abort());
    }

    override sendOffsets(args: Parameters<ConfluentProducer['sendOffsets']>[0]) {
      const sends = observed(this, producerSends);
      if (!sends) return super.sendOffsets(args);
      let group: string | undefined;
      safely(telemetry.diag, 'sendOffsets', () => {
        group = groupOfConsumer(args?.consumer);
      });
      return sends.transactions.sendOffsets(group, () => super.sendOffsets(args));
    }

    override disconnect() {
      // Whether or not the instrumentation is enabled now: a client that goes must not stay in
      // the statistics.
      if (!owned(this, producerSends)) return super.disconnect();
      return settle(
        telemetry.diag,
        'disconnect',
        () => super.disconnect(),
        () => telemetry.statistics.forget(this),
      );
    }
  }
  return InstrumentedProducer;

  /** The instrumentation state of a client, while the instrumentation is enabled. */
  function observed<State extends Owned>(
    client: object,
    states: WeakMap<object, State>,
  ): State | undefined {
    return telemetry.isEnabled() ? owned(client, states) : undefined;
  }

  function owned<State extends Owned>(client: object, states: WeakMap<object, State>) {
    return ownedBy(telemetry, client, states);
  }
}

/** The `Consumer` class to export: every consumer's deliveries, commits and group observed. */
export function instrumentedConsumerClass(
  telemetry: ConfluentTelemetry,
  Consumer: ClientClass<ConfluentConsumer>,
): ClientClass<ConfluentConsumer> {
  const Base = Consumer as unknown as new (config: unknown) => ConfluentConsumer;
  class InstrumentedConsumerClient extends Base {
    constructor(config: ConfluentClientConfig) {
      const observing = telemetry.isEnabled();
      super(observing ? withStatisticsInterval(config, telemetry.statisticsIntervalMs) : config);
      if (!observing || !markInstrumented(this)) return;
      safely(telemetry.diag, 'consumer', () => {
        const settings = config ?? {};
        const identity = identityOf('consumer', settings);
        consumers.set(this, new InstrumentedConsumer(telemetry, this, identity, groupOf(settings)));
      });
    }

    override connect() {
      const result = super.connect();
      const consumer = observed(this);
      if (consumer) safely(telemetry.diag, 'consumer', () => consumer.connected());
      return result;
    }

    override run(config?: Parameters<ConfluentConsumer['run']>[0]) {
      const consumer = observed(this);
      if (!consumer) return super.run(config);
      return consumer.run(config, (wrapped) => super.run(wrapped as typeof config));
    }

    override commitOffsets(offsets?: Parameters<ConfluentConsumer['commitOffsets']>[0]) {
      const consumer = observed(this);
      // No argument and `undefined` are the same call: the client's default parameter (null,
      // commit everything consumed) applies to both.
      if (!consumer || calledByTheClient()) return super.commitOffsets(offsets);
      return consumer.commitOffsets(offsets, () => super.commitOffsets(offsets));
    }

    override disconnect() {
      // Whether or not the instrumentation is enabled now: a consumer that goes must not stay
      // in the lag and statistics.
      const consumer = ownedBy(telemetry, this, consumers);
      if (!consumer) return super.disconnect();
      return consumer.disconnect(() => super.disconnect());
    }
  }
  return InstrumentedConsumerClient;

  function observed(client: object): InstrumentedConsumer | undefined {
    return telemetry.isEnabled() ? ownedBy(telemetry, client, consumers) : undefined;
  }
}
