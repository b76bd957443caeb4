/**
 * A KafkaJS socket factory whose connections go to the real broker and fail on demand, one
 * API at a time: told a fault for an API key, it reads the request frames its client writes
 * and makes every request of that key fail the way a network or a broker makes requests fail
 * (no answer, a reset connection, an error answer), while every other request and answer
 * crosses untouched. So each request a client sends can be made to fail on its own, against
 * the broker everyone shares, without stopping or reconfiguring it.
 *
 * It sits where a KafkaJS user's own factory sits (a proxy's, say): below the client, so what
 * the client does with a failure is the client's own code, from its socket up.
 */
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import {
  answerFrame,
  correlationIdOfAnswer,
  FrameSplitter,
  requestHeaderOf,
  type RequestHeader,
} from './kafka-frames';

export type { RequestHeader } from './kafka-frames';

/**
 * Longest a reset waits for the other requests of its connection to be answered (see `Fault`).
 * Past it the connection is reset anyway, and those requests fail too: seen as extra errors,
 * not hidden.
 */
const RESET_WAIT_MS = 10_000;

/** How the requests of one API key fail. */
export type Fault =
  /** The request never reaches the broker, so no answer comes: the client's timeout ends it. */
  | { readonly kind: 'silence' }
  /**
   * The request never reaches the broker, and its connection is reset (the client reads
   * ECONNRESET) once every other request waiting on that connection has its answer: a reset
   * fails every request in flight on the connection, and only this one is meant to fail.
   */
  | { readonly kind: 'reset' }
  /**
   * The request reaches the broker, and its answer is replaced: `answer` returns what follows
   * the correlation id in the reply frame (for a flexible version, the response header's
   * tagged fields, then the body). The frame's size and correlation id are kept right.
   */
  | { readonly kind: 'answer'; readonly answer: (request: RequestHeader) => Buffer }
  /**
   * The request reaches the broker, and its answer is replaced by `bytes` as they are, size
   * prefix included: a frame no broker sends (what the client's own guards are for).
   */
  | { readonly kind: 'frame'; readonly bytes: Buffer };

/**
 * The socket factory, and the faults it applies. A fault applies to every request of its API
 * key written from then on, over every connection of the factory, until `clear()`.
 */
export class FaultInjectingSockets {
  private readonly faults = new Map<number, Fault>();
  private readonly hit: RequestHeader[] = [];

  /**
   * For `socketFactory` options. Plain TCP only: the frames it reads and rewrites are the bytes
   * on the wire, which TLS would encrypt.
   */
  readonly socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    if (ssl) throw new Error('FaultInjectingSockets reads plaintext listeners only');
    const socket = net.connect({ host, port }, onConnect);
    this.interceptRequests(socket);
    return socket;
  };

  /** Makes every request of `apiKey` fail as `fault` says, from now on. */
  inject(apiKey: number, fault: Fault): void {
    this.faults.set(apiKey, fault);
  }

  /** Lets every request through again. */
  clear(): void {
    this.faults.clear();
  }

  /** The requests of `apiKey` a fault was applied to so far. */
  hits(apiKey: number): RequestHeader[] {
    return this.hit.filter((request) => request.apiKey === apiKey);
  }

  /**
   * Reads the request frames the client writes; each one is sent on, dropped, or ends the
   * connection as its fault says. The answers to replace are made now, kept by correlation id
   * for the reading side.
   */
  private interceptRequests(socket: net.Socket): void {
    const requests = new FrameSplitter();
    /** The bytes the client reads instead of each replaced answer, by correlation id. */
    const replaced = new Map<number, Buffer>();
    const awaited = new AwaitedAnswers();
    const write = socket.write.bind(socket);
    const send = (frame: Buffer, request: RequestHeader) => {
      awaited.sent(request.correlationId);
      write(frame);
    };
    socket.write = ((chunk: Buffer | string, encoding?: BufferEncoding) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      for (const frame of requests.push(bytes)) {
        const request = requestHeaderOf(frame);
        const fault = this.faults.get(request.apiKey);
        if (fault === undefined) {
          send(frame, request);
          continue;
        }
        this.hit.push(request);
        switch (fault.kind) {
          case 'silence':
            break;
          case 'reset':
            // After the write returns, as a reset read from the network arrives; and after the
            // answers to the other requests on this connection, so that only this one fails.
            void awaited.noneWaiting(RESET_WAIT_MS).then(() => {
              setImmediate(() => socket.destroy(connectionReset()));
            });
            break;
          case 'answer':
            replaced.set(request.correlationId, answerFrame(request, fault.answer(request)));
            send(frame, request);
            break;
          case 'frame':
            replaced.set(request.correlationId, fault.bytes);
            send(frame, request);
            break;
        }
      }
      return true;
    }) as net.Socket['write'];
    this.interceptAnswers(socket, replaced, awaited);
  }

  /**
   * Hands the client its answers frame by frame, the replaced ones rewritten. Whatever reads
   * the socket subscribes through `socket.on('data', ...)` after the factory returns (KafkaJS,
   * and any guard wrapped around the factory, such as the collector's reply guard): so they all
   * read the answers as rewritten here, as they would read them from the network.
   */
  private interceptAnswers(
    socket: net.Socket,
    replaced: Map<number, Buffer>,
    awaited: AwaitedAnswers,
  ): void {
    type Listener = (...args: unknown[]) => void;
    const on = socket.on.bind(socket) as (event: string, listener: Listener) => net.Socket;
    socket.on = ((event: string, listener: Listener) => {
      if (event !== 'data') return on(event, listener);
      const answers = new FrameSplitter();
      return on('data', (chunk) => {
        for (const frame of answers.push(chunk as Buffer)) {
          const correlationId = correlationIdOfAnswer(frame);
          const replacement = replaced.get(correlationId);
          replaced.delete(correlationId);
          listener(replacement ?? frame);
          // Every data listener reads every answer: the first one to read it marks it.
          awaited.answered(correlationId);
        }
      });
    }) as net.Socket['on'];
  }
}

/** The requests of one connection sent to the broker and not answered yet, by correlation id. */
class AwaitedAnswers {
  private readonly waiting = new Set<number>();
  private readonly whenNone: (() => void)[] = [];

  sent(correlationId: number): void {
    this.waiting.add(correlationId);
  }

  answered(correlationId: number): void {
    if (!this.waiting.delete(correlationId) || this.waiting.size > 0) return;
    for (const resolve of this.whenNone.splice(0)) resolve();
  }

  /** Resolves once no request is waiting for its answer, or after `timeoutMs` regardless. */
  noneWaiting(timeoutMs: number): Promise<void> {
    if (this.waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.whenNone.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** The error Node emits on a socket whose peer reset the connection. */
function connectionReset(): Error {
  return Object.assign(new Error('read ECONNRESET'), {
    code: 'ECONNRESET',
    errno: -104,
    syscall: 'read',
  });
}
