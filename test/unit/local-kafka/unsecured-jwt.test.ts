import { describe, expect, it } from 'vitest';
import { unsecuredJwt } from '../../../scripts/local-kafka/unsecured-jwt';

function decode(part: string | undefined): unknown {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

describe('unsecuredJwt', () => {
  it('makes header.claims. with alg none, the principal as sub and exp after iat', () => {
    const token = unsecuredJwt('alice', 600, Date.UTC(2030, 0, 1, 0, 0, 0, 999));
    const [header, claims, signature, ...rest] = token.split('.');
    expect(rest).toEqual([]);
    expect(signature).toBe('');
    expect(decode(header)).toEqual({ alg: 'none' });
    const iat = Date.UTC(2030, 0, 1) / 1000;
    expect(decode(claims)).toEqual({ sub: 'alice', iat, exp: iat + 600 });
    // base64url: no padding, nothing a SASL message or an HTTP header would need escaped.
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.$/);
  });

  it('is issued now and valid for an hour by default', () => {
    const before = Math.floor(Date.now() / 1000);
    const claims = decode(unsecuredJwt('bob').split('.')[1]) as { iat: number; exp: number };
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(claims.exp - claims.iat).toBe(3600);
  });
});
