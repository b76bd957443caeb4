/**
 * An unsigned JWT (`alg: none`) for SASL/OAUTHBEARER against a --secure local cluster. With no
 * `sasl.server.callback.handler.class` configured, Kafka (3.9 and 4.x) validates OAUTHBEARER
 * tokens with its built-in unsecured validator, which accepts exactly this shape:
 * `base64url(header).base64url(claims).` with an empty signature, a `sub` naming the principal,
 * and an `exp` still in the future. Fine for local tests, never for anything real.
 */
export function unsecuredJwt(
  principal: string,
  lifetimeSeconds = 3600,
  issuedAtMs: number = Date.now(),
): string {
  const iat = Math.floor(issuedAtMs / 1000);
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: principal, iat, exp: iat + lifetimeSeconds })}.`;
}
