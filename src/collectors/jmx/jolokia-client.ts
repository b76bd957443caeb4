import { HttpJsonClient, HttpJsonError, type HttpEndpointOptions } from '../http/http-json-client';
import { parseObjectName } from './object-name';

/** One MBean read of a bulk request. */
export interface MBeanQuery {
  /**
   * An ObjectName (`kafka.server:type=raft-metrics`) or a pattern
   * (`kafka.network:type=RequestMetrics,name=RequestsPerSec,*`): every MBean it matches is read.
   */
  mbean: string;
  /** The attributes to read; all of the MBean's when omitted (or empty). */
  attributes?: readonly string[];
}

/** An attribute value as kept: JMX numbers, strings and booleans (composite values are not). */
export type AttributeValue = number | string | boolean;

/** One MBean as read. */
export interface MBeanReading {
  /** Index in the queries passed to `read` of the query that matched it. */
  query: number;
  /** The ObjectName as Jolokia gave it. */
  objectName: string;
  domain: string;
  /** Key properties of the ObjectName, quoted values unquoted (no prototype: any key is safe). */
  properties: Readonly<Record<string, string>>;
  /**
   * Attribute values; a null value (JMX's NaN, a gauge with no value yet) is left out, as is
   * anything that is not a finite number, string or boolean (see `JolokiaReading.skipped`).
   */
  attributes: Readonly<Record<string, AttributeValue>>;
}

/** A query that got no reading: the MBean server refused it or failed reading it. */
export interface MBeanQueryFailure {
  query: number;
  mbean: string;
  /** Jolokia's status for the query (403 for a query its policy forbids), when it gave one. */
  status?: number;
  /** Jolokia's `error_type` (a Java exception class), or `invalid_query` / `malformed_reply`. */
  errorType: string;
  /** One short line. */
  message: string;
}

/** The outcome of one bulk read. */
export interface JolokiaReading {
  /** Every MBean matched, in query order. A query that matched nothing adds none. */
  beans: MBeanReading[];
  failures: MBeanQueryFailure[];
  /**
   * Parts of the reply that were not kept: attribute values that are not scalars (a composite,
   * an array, an error Jolokia reported for one attribute), strings past the length limit,
   * beans past the limits or with unparseable names, replies of an unexpected shape.
   */
  skipped: number;
}

export interface JolokiaClientOptions extends HttpEndpointOptions {
  /** Most MBeans one read keeps (default 20 000); the rest are skipped and counted. */
  maxBeans?: number;
}

const DEFAULT_MAX_BEANS = 20_000;
/** Most attributes kept per MBean: Kafka's largest beans have a few dozen. */
const MAX_ATTRIBUTES_PER_BEAN = 512;
/** Longest string value kept (states, versions, ids are short; a stack trace is not a value). */
const MAX_STRING_CHARS = 1_024;
const MAX_MESSAGE_CHARS = 300;

/**
 * Reads MBeans from a Jolokia agent (JMX over HTTP/JSON): one bulk POST per `read`, whatever the
 * number of queries, so every value of a cycle comes from one exchange. Shared by the broker
 * JMX collector and the Connect collector's per-task metrics.
 *
 * - A query that matches nothing (Jolokia's 404: no such MBean, or none with the attributes
 *   asked) is an empty result, not a failure: a broker that has not served a Produce yet has no
 *   Produce beans.
 * - A query Jolokia answers with another status (403 from its access policy, 400, 500) is a
 *   failure of that query only; the others are still read.
 * - A query whose `mbean` is not an ObjectName is a failure and is not sent (Jolokia fails the
 *   whole bulk request for one malformed name).
 * - The reply is checked, never trusted: values of the wrong type, oversized strings and beans
 *   past the limits are skipped and counted in `skipped`; nothing in a reply makes `read` throw
 *   anything but an HttpJsonError.
 *
 * `read` rejects (with an {@link HttpJsonError}) only when the exchange as a whole failed:
 * unreachable, timeout or abort, an HTTP error status, a body that is not JSON or too large, or
 * a reply that is not one answer per query.
 */
export class JolokiaClient {
  /** The endpoint as messages name it (no credentials). */
  readonly endpoint: string;
  private readonly http: HttpJsonClient;
  private readonly maxBeans: number;

  constructor(options: JolokiaClientOptions) {
    this.http = new HttpJsonClient(options);
    this.endpoint = this.http.endpoint;
    const { maxBeans } = options;
    if (maxBeans !== undefined && (!Number.isInteger(maxBeans) || maxBeans <= 0)) {
      throw new TypeError('maxBeans must be a positive integer');
    }
    this.maxBeans = maxBeans ?? DEFAULT_MAX_BEANS;
  }

  async read(queries: readonly MBeanQuery[], signal?: AbortSignal): Promise<JolokiaReading> {
    const result: JolokiaReading = { beans: [], failures: [], skipped: 0 };
    const sent: Array<{ index: number; pattern: boolean }> = [];
    const requests: unknown[] = [];
    queries.forEach((query, index) => {
      const name = parseObjectName(query.mbean);
      if (!name) {
        result.failures.push({
          query: index,
          mbean: query.mbean,
          errorType: 'invalid_query',
          message: 'not an ObjectName or ObjectName pattern',
        });
        return;
      }
      sent.push({ index, pattern: name.pattern });
      requests.push({
        type: 'read',
        mbean: query.mbean,
        // Always a list: Jolokia then answers with a map of attributes even for one.
        attribute: [...(query.attributes ?? [])],
        // An attribute that fails alone (missing on this version) comes back as an error value
        // next to the others instead of failing the whole query.
        config: { ignoreErrors: true },
      });
    });
    if (requests.length === 0) return result;
    const body = await this.http.postOk('', requests, signal);
    if (!Array.isArray(body) || body.length !== requests.length) {
      throw new HttpJsonError(
        this.endpoint,
        'malformed_reply',
        `expected ${requests.length} Jolokia answers, got ${Array.isArray(body) ? body.length : typeof body}`,
      );
    }
    body.forEach((answer: unknown, position) => {
      const { index, pattern } = sent[position]!;
      this.readAnswer(answer, index, queries[index]!.mbean, pattern, result);
    });
    return result;
  }

  /** Closes the idle connection to the agent. */
  close(): void {
    this.http.close();
  }

  private readAnswer(
    answer: unknown,
    query: number,
    mbean: string,
    pattern: boolean,
    result: JolokiaReading,
  ): void {
    if (!isRecord(answer) || typeof answer.status !== 'number') {
      result.failures.push(malformed(query, mbean, 'an answer without a status'));
      return;
    }
    const { status } = answer;
    if (status === 404) return;
    if (status !== 200) {
      result.failures.push({
        query,
        mbean,
        status,
        errorType: shortText(answer.error_type) || 'status',
        message: shortText(answer.error) || `Jolokia status ${status}`,
      });
      return;
    }
    const { value } = answer;
    if (!isRecord(value)) {
      result.failures.push(malformed(query, mbean, 'a read answer whose value is not an object'));
      return;
    }
    if (!pattern) {
      this.addBean(query, mbean, value, result);
      return;
    }
    for (const [objectName, attributes] of Object.entries(value)) {
      if (!isRecord(attributes)) {
        result.skipped++;
        continue;
      }
      this.addBean(query, objectName, attributes, result);
    }
  }

  private addBean(
    query: number,
    objectName: string,
    values: Record<string, unknown>,
    result: JolokiaReading,
  ): void {
    const name = parseObjectName(objectName);
    if (!name || name.pattern || result.beans.length >= this.maxBeans) {
      result.skipped++;
      return;
    }
    const attributes = Object.create(null) as Record<string, AttributeValue>;
    let kept = 0;
    for (const [attribute, value] of Object.entries(values)) {
      if (value === null) continue;
      if (kept >= MAX_ATTRIBUTES_PER_BEAN || !isScalar(value)) {
        result.skipped++;
        continue;
      }
      attributes[attribute] = value;
      kept++;
    }
    result.beans.push({
      query,
      objectName,
      domain: name.domain,
      properties: name.properties,
      attributes,
    });
  }
}

function isScalar(value: unknown): value is AttributeValue {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length <= MAX_STRING_CHARS;
  return typeof value === 'boolean';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(query: number, mbean: string, what: string): MBeanQueryFailure {
  return { query, mbean, errorType: 'malformed_reply', message: `Jolokia sent ${what}` };
}

/** A server's text as one bounded line, or '' when it is not a string. */
function shortText(value: unknown): string {
  if (typeof value !== 'string') return '';
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS)}…` : line;
}
