/**
 * `@confluentinc/kafka-javascript` as the global setups hand it to test files: where the
 * cached install is, or why it could not be built. The setups never throw on a failed build
 * (the suites' other tests do not need the client); the tests that need it fail with the build's
 * own error through `providedConfluentClient()`, never skip.
 */
import { inject } from 'vitest';

/** The install scripts/confluent-client made, or the reason it could not. */
export type ProvidedConfluentClient =
  | {
      version: string;
      /** `require(packageDir)` loads the client. */
      packageDir: string;
      /** The folder holding its node_modules: `NODE_PATH=<installDir>/node_modules` for apps. */
      installDir: string;
    }
  | { error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    confluentClient: ProvidedConfluentClient;
  }
}

/** The installed client, or the build's error thrown as this test's failure. */
export function providedConfluentClient(): Exclude<ProvidedConfluentClient, { error: string }> {
  const client = inject('confluentClient');
  if ('error' in client) {
    throw new Error(
      `@confluentinc/kafka-javascript is not available to this suite: ${client.error}`,
    );
  }
  return client;
}
