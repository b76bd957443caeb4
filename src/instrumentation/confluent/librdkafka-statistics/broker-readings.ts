import { parseNodeName } from './broker-address';
import {
  count,
  isJsonObject,
  knownPosition,
  ownEntries,
  secondsFromMicroseconds,
  secondsFromMilliseconds,
  text,
} from './statistics-values';
import { readWindowSummary, type WindowSummary } from './window-summary';

/** One broker connection of the client, from an entry of the statistics' `brokers`. */
export interface BrokerReadings {
  /** The broker id (`nodeid`). */
  readonly nodeId: number;
  /** Host and port from `nodename`; absent when it is not `host:port`. */
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** Where librdkafka learned of the broker (`source`): `learned` or `configured`. */
  readonly source: string | undefined;
  /** Connection state as librdkafka names it: INIT, DOWN, TRY_CONNECT, CONNECT, UP, ... */
  readonly state: string | undefined;
  /** Time since the last state change (`stateage`, µs in librdkafka). */
  readonly stateAgeSeconds: number | undefined;
  /** Requests queued for sending (`outbuf_cnt`) and the messages they carry (`outbuf_msg_cnt`). */
  readonly requestsAwaitingSend: number | undefined;
  readonly messagesAwaitingSend: number | undefined;
  /** Requests sent and awaiting their response (`waitresp_cnt`, `waitresp_msg_cnt`). */
  readonly requestsAwaitingResponse: number | undefined;
  readonly messagesAwaitingResponse: number | undefined;
  /** Totals since the client started: `tx`, `txbytes`, `txerrs`, `txretries`, `req_timeouts`. */
  readonly requestsSent: number | undefined;
  readonly bytesSent: number | undefined;
  readonly sendErrors: number | undefined;
  readonly requestRetries: number | undefined;
  readonly requestTimeouts: number | undefined;
  /** Totals since the client started: `rx`, `rxbytes`, `rxerrs`. */
  readonly responsesReceived: number | undefined;
  readonly bytesReceived: number | undefined;
  readonly receiveErrors: number | undefined;
  /** Connection attempts, failed ones and name-resolution failures included (`connects`). */
  readonly connectionAttempts: number | undefined;
  readonly disconnects: number | undefined;
  /** Request round-trip time over the last interval (`rtt`). */
  readonly roundTripTime: WindowSummary | undefined;
  /** Time messages waited in the producer queue before a request took them (`int_latency`). */
  readonly producerQueueLatency: WindowSummary | undefined;
  /** Time requests waited in the send queue before reaching the socket (`outbuf_latency`). */
  readonly requestQueueLatency: WindowSummary | undefined;
  /** Throttle times the broker asked for (`throttle`, in milliseconds in librdkafka). */
  readonly throttleTime: WindowSummary | undefined;
}

/**
 * The real brokers of a statistics document, in document order.
 *
 * Skipped: logical entries (`source: "logical"`, such as `GroupCoordinator`) and entries with no
 * broker id (`nodeid` -1: the logical ones and bootstrap addresses not yet matched to a broker).
 * A logical entry is a second connection to a broker already listed under its id (its
 * `nodename` is that broker's address), so reporting it would put two series under one address,
 * and without an id it cannot be told apart from the real one. Its traffic is not lost: the
 * client's totals (`tx`, `rx`, ...) count every connection, logical ones included.
 */
export function readBrokers(brokers: unknown): BrokerReadings[] {
  const readings: BrokerReadings[] = [];
  for (const [, entry] of ownEntries(brokers)) {
    const broker = readBroker(entry);
    if (broker !== undefined) readings.push(broker);
  }
  return readings;
}

function readBroker(entry: unknown): BrokerReadings | undefined {
  if (!isJsonObject(entry) || entry.source === 'logical') return undefined;
  const nodeId = knownPosition(entry.nodeid);
  if (nodeId === undefined) return undefined;
  const nodeName = text(entry.nodename);
  const address = nodeName === undefined ? undefined : parseNodeName(nodeName);
  return {
    nodeId,
    host: address?.host,
    port: address?.port,
    source: text(entry.source),
    state: text(entry.state),
    stateAgeSeconds: secondsFromMicroseconds(entry.stateage),
    requestsAwaitingSend: count(entry.outbuf_cnt),
    messagesAwaitingSend: count(entry.outbuf_msg_cnt),
    requestsAwaitingResponse: count(entry.waitresp_cnt),
    messagesAwaitingResponse: count(entry.waitresp_msg_cnt),
    requestsSent: count(entry.tx),
    bytesSent: count(entry.txbytes),
    sendErrors: count(entry.txerrs),
    requestRetries: count(entry.txretries),
    requestTimeouts: count(entry.req_timeouts),
    responsesReceived: count(entry.rx),
    bytesReceived: count(entry.rxbytes),
    receiveErrors: count(entry.rxerrs),
    connectionAttempts: count(entry.connects),
    disconnects: count(entry.disconnects),
    roundTripTime: readWindowSummary(entry.rtt, secondsFromMicroseconds),
    producerQueueLatency: readWindowSummary(entry.int_latency, secondsFromMicroseconds),
    requestQueueLatency: readWindowSummary(entry.outbuf_latency, secondsFromMicroseconds),
    // The one window librdkafka keeps in milliseconds: it records Kafka's throttle_time_ms as is.
    throttleTime: readWindowSummary(entry.throttle, secondsFromMilliseconds),
  };
}
