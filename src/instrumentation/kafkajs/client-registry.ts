import {
  UNKNOWN_CLIENT,
  splitHostPort,
  type ClientIdentity,
  type ClientKind,
} from '../client-identity';
import type { InstrumentationEmitter } from './kafkajs-internals';

/**
 * Who each KafkaJS client is, keyed by the instrumentation emitter KafkaJS creates for it.
 *
 * `Kafka#producer|consumer|admin` create one emitter per client and hand it to everything the
 * client owns: the cluster's connection pool builder (which receives the client id and the
 * bootstrap brokers), the client factory, and every connection's request queue. So the identity
 * is assembled where KafkaJS creates the client, and a connection finds its owner's kind without
 * any listener or subclass of `Kafka`.
 */
export class ClientRegistry {
  private readonly byEmitter = new WeakMap<InstrumentationEmitter, ClientIdentity>();

  /** The connection pool builder of a client's cluster was created with these options. */
  noteConnectionOptions(emitter: unknown, clientId: unknown, brokers: unknown) {
    if (!isEmitter(emitter)) return;
    const first = Array.isArray(brokers) ? (brokers[0] as unknown) : undefined;
    // Brokers may also be a function (discovery): the address is then unknown up front.
    const bootstrap = typeof first === 'string' ? splitHostPort(first) : undefined;
    this.byEmitter.set(emitter, {
      kind: this.byEmitter.get(emitter)?.kind,
      clientId: typeof clientId === 'string' ? clientId : undefined,
      serverAddress: bootstrap?.host,
      serverPort: bootstrap?.port,
    });
  }

  /** The client factory of `kind` created the client of this emitter: its full identity. */
  noteKind(emitter: unknown, kind: ClientKind): ClientIdentity {
    if (!isEmitter(emitter)) return { ...UNKNOWN_CLIENT, kind };
    const identity = { ...(this.byEmitter.get(emitter) ?? UNKNOWN_CLIENT), kind };
    this.byEmitter.set(emitter, identity);
    return identity;
  }

  /** The identity of the client that owns this emitter (a connection's, say). */
  of(emitter: unknown): ClientIdentity {
    return (isEmitter(emitter) && this.byEmitter.get(emitter)) || UNKNOWN_CLIENT;
  }
}

function isEmitter(value: unknown): value is InstrumentationEmitter {
  return typeof value === 'object' && value !== null;
}
