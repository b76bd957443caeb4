/**
 * Kafka's numbers by their names, for tests that write or expect them: read backwards from the
 * package's own tables (src/kafka-names), which are Kafka's, so a test says
 * `errorCodeNamed('NOT_LEADER_OR_FOLLOWER')` where it would otherwise say 6.
 */
import { API_NAMES } from '../../src/kafka-names/api-names';
import { ERROR_NAMES } from '../../src/kafka-names/error-names';

/** The protocol error code Kafka calls `name`; throws for a name it has no code for. */
export function errorCodeNamed(name: string): number {
  return numberNamed(ERROR_NAMES, name, 'error code');
}

/** The protocol API key of the API Kafka calls `name`; throws for a name it has no key for. */
export function apiKeyNamed(name: string): number {
  return numberNamed(API_NAMES, name, 'API key');
}

function numberNamed(table: Readonly<Record<number, string>>, name: string, what: string): number {
  const entry = Object.entries(table).find(([, named]) => named === name);
  if (entry === undefined) throw new Error(`no Kafka ${what} is named ${name}`);
  return Number(entry[0]);
}
