import { createRequire } from 'node:module';
import type { KafkaConfig, OauthbearerProviderResponse, SASLOptions } from 'kafkajs';

/**
 * The SASL options with an OAUTHBEARER token provider guarded; others as given.
 */
export function withGuardedTokenProvider(sasl: KafkaConfig['sasl']): KafkaConfig['sasl'] {
  if (sasl?.mechanism !== 'oauthbearer') return sasl;
  const options = sasl as Extract<SASLOptions, { mechanism: 'oauthbearer' }>;
  if (typeof options.oauthBearerProvider !== 'function') return sasl;
  return { ...options, oauthBearerProvider: guarded(options.oauthBearerProvider) };
}

/**
 * KafkaJS awaits the provider and reads `.value` unchecked: a rejection would come out as
 * whatever the provider threw and a result without a value as a TypeError, neither saying that
 * authentication failed. Both become KafkaJS's SASL authentication error, with the provider's
 * message; the token itself is never part of one.
 */
function guarded(
  provider: () => Promise<OauthbearerProviderResponse>,
): () => Promise<OauthbearerProviderResponse> {
  return async () => {
    let token: unknown;
    try {
      token = await provider();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw saslAuthenticationError(`the token provider failed: ${message}`);
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
