import { createRequire } from 'node:module';
import type { KafkaConfig, OauthbearerProviderResponse, SASLOptions } from 'kafkajs';

/**
 * The SASL options with an OAUTHBEARER token provider guarded (see `guarded`), given at most
 * `timeoutMs` to answer; others as given.
 */
export function withGuardedTokenProvider(
  sasl: KafkaConfig['sasl'],
  timeoutMs: number,
): KafkaConfig['sasl'] {
  if (sasl?.mechanism !== 'oauthbearer') return sasl;
  const options = sasl as Extract<SASLOptions, { mechanism: 'oauthbearer' }>;
  if (typeof options.oauthBearerProvider !== 'function') return sasl;
  return { ...options, oauthBearerProvider: guarded(options.oauthBearerProvider, timeoutMs) };
}

/**
 * KafkaJS awaits the provider and reads `.value` unchecked: a rejection would come out as
 * whatever the provider threw and a result without a value as a TypeError, neither saying that
 * authentication failed. Both become KafkaJS's SASL authentication error, with the provider's
 * message; the token itself is never part of one. A provider that does not answer in time
 * fails the same way: KafkaJS would wait for it forever, and so would a collector's `stop()`.
 */
function guarded(
  provider: () => Promise<OauthbearerProviderResponse>,
  timeoutMs: number,
): () => Promise<OauthbearerProviderResponse> {
  return async () => {
    let token: unknown;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no token within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    });
    try {
      token = await Promise.race([provider(), late]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw saslAuthenticationError(`the token provider failed: ${message}`);
    } finally {
      clearTimeout(timer);
    }
    const value = (token as { value?: unknown } | null | undefined)?.value;
    if (typeof value !== 'string' || value === '') {
      throw saslAuthenticationError(
        'the token provider returned no token (expected an object with a string value)',
      );
    }
    return token as OauthbearerProviderResponse;
  };
}

/**
 * KafkaJS's own error class, so that the request fails as an authentication failure. Required
 * when a provider fails, never at import: under `register`, KafkaJS must load after the
 * instrumentations.
 */
function saslAuthenticationError(message: string): Error {
  const kafkajs = createRequire(__filename)('kafkajs') as {
    KafkaJSSASLAuthenticationError: new (message: string) => Error;
  };
  return new kafkajs.KafkaJSSASLAuthenticationError(`SASL OAUTHBEARER: ${message}`);
}
