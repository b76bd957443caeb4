/**
 * The librdkafka statistics documents a Confluent client emits, seen from the test: every
 * `event.stats` of the client's librdkafka handle, parsed, in order. Tests of the statistics
 * metrics wait for "the next document" instead of for time: a document reaching this listener
 * has reached the instrumentation's too (it listens from `connect()`, before this one), so a
 * collection made then observes that document's values.
 */
import { waitFor } from './wait-for';

/** The fields of a statistics document the tests read (librdkafka's STATISTICS.md). */
export interface StatisticsDocument {
  /** librdkafka's handle name, `<client.id>#producer-1`. */
  name: string;
  client_id: string;
  type: 'producer' | 'consumer';
  /** librdkafka's monotonic clock when the document was made, in microseconds. */
  ts: number;
}

/** A KafkaJS-API client of Confluent's, connected: its librdkafka handle is there. */
export interface WithLibrdkafkaHandle {
  _getInternalClient(): {
    on(event: 'event.stats', listener: (event: { message: string }) => void): unknown;
  } | null;
}

export class StatisticsDocuments {
  readonly documents: StatisticsDocument[] = [];

  /** Listens to the documents of `client` (connected) from now on. */
  constructor(client: WithLibrdkafkaHandle) {
    const handle = client._getInternalClient();
    if (!handle) throw new Error('the client has no librdkafka handle: connect it first');
    handle.on('event.stats', ({ message }) => {
      this.documents.push(JSON.parse(message) as StatisticsDocument);
    });
  }

  /** Resolves once `count` more documents than now arrived (bounded: 30 s). */
  async next(count = 1): Promise<StatisticsDocument> {
    const wanted = this.documents.length + count;
    await waitFor(() => this.documents.length >= wanted, {
      description: `${count} more statistics document(s) (${this.documents.length} so far)`,
    });
    return this.documents[wanted - 1]!;
  }
}
