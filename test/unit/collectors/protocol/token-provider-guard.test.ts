import type { KafkaConfig, OauthbearerProviderResponse } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { withGuardedTokenProvider } from '../../../../src/collectors/protocol/token-provider-guard';

type Provider = () => Promise<OauthbearerProviderResponse>;

function guardedProvider(provider: Provider, timeoutMs = 1_000): Provider {
  const sasl = withGuardedTokenProvider(
    { mechanism: 'oauthbearer', oauthBearerProvider: provider },
    timeoutMs,
  ) as { oauthBearerProvider: Provider };
  return sasl.oauthBearerProvider;
}

describe('withGuardedTokenProvider', () => {
  it('passes a token through', async () => {
    const token = { value: 'header.claims.' };
    await expect(guardedProvider(() => Promise.resolve(token))()).resolves.toBe(token);
  });

  it('fails a provider that never answers as an authentication failure, after the timeout', async () => {
    const never: Provider = () => new Promise(() => undefined);
    await expect(guardedProvider(never, 50)()).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
      message: 'SASL OAUTHBEARER: the token provider failed: no token within 50 ms',
    });
  });

  it('leaves other mechanisms as they are', () => {
    const sasl: KafkaConfig['sasl'] = { mechanism: 'plain', username: 'u', password: 'p' };
    expect(withGuardedTokenProvider(sasl, 1_000)).toBe(sasl);
  });
});
