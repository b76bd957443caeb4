/**
 * Real PEM files and token provider modules for the security settings' tests, written to a
 * fresh temporary directory: a CA, a client certificate it signed (alone and as a chain), the
 * client key in clear and encrypted both ways OpenSSL writes one, another key, and provider
 * modules in CommonJS and ESM, good and broken.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The passphrase of the encrypted keys. */
export const KEY_PASSPHRASE = 'correct horse battery staple';

/** The token the good providers return. */
export const TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJjb2xsZWN0b3IifQ.';

export interface SecurityFiles {
  dir: string;
  ca: string;
  cert: string;
  /** The client certificate followed by the CA's: what brokers behind an intermediate need. */
  chain: string;
  key: string;
  /** PKCS#8 `ENCRYPTED PRIVATE KEY`. */
  encryptedKey: string;
  /** Traditional OpenSSL encryption (`Proc-Type: 4,ENCRYPTED`). */
  legacyEncryptedKey: string;
  /** A valid key that is not the certificate's. */
  otherKey: string;
  notPem: string;
  providers: Record<ProviderName, string>;
}

const PROVIDERS = {
  'default.cjs': `module.exports = async () => ({ value: '${TOKEN}' });`,
  'named.cjs': `exports.oauthBearerProvider = async () => ({ value: '${TOKEN}', extensions: { logicalCluster: 'lc-1' } });`,
  'compiled.js': `Object.defineProperty(exports, '__esModule', { value: true }); exports.default = async () => ({ value: '${TOKEN}' });`,
  'default.mjs': `export default async () => ({ value: '${TOKEN}' });`,
  'named.mjs': `export const audience = 'kafka';\nexport async function oauthBearerProvider() { return { value: '${TOKEN}' }; }`,
  'rejects.cjs': `module.exports = async () => { throw new Error('identity provider answered 503'); };`,
  'wrong-shape.cjs': `module.exports = async () => ({ token: '${TOKEN}' });`,
  'numeric-value.cjs': `module.exports = async () => ({ value: 42 });`,
  'no-function.cjs': `module.exports = { token: '${TOKEN}' };`,
  'throws-on-load.cjs': `throw new Error('cannot reach the vault\\n    at secret stack line');`,
  'missing-dependency.cjs': `require('kafka-otel-no-such-package'); module.exports = async () => ({ value: 'x' });`,
  'top-level-await.mjs': `await Promise.resolve();\nexport default async () => ({ value: '${TOKEN}' });`,
} as const;

export type ProviderName = keyof typeof PROVIDERS;

function openssl(args: string[]): void {
  execFileSync('/usr/bin/openssl', args, { stdio: 'pipe' });
}

/** Writes every file; one call per test file (EC keys keep it well under a second). */
export function writeSecurityFiles(): SecurityFiles {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-otel-security-'));
  const at = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    ['req', '-x509', ...ec, '-keyout', at('ca-key.pem'), '-out', at('ca.pem')].concat([
      '-days',
      '2',
      '-subj',
      '/CN=test-ca',
    ]),
  );
  openssl(
    ['req', '-new', ...ec, '-keyout', at('client-key.pem'), '-out', at('client.csr')].concat([
      '-subj',
      '/CN=kafka-otel-collector',
    ]),
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      at('client.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca-key.pem'),
    ].concat(['-CAcreateserial', '-days', '2', '-out', at('client.pem')]),
  );
  const passout = ['-passout', `pass:${KEY_PASSPHRASE}`];
  openssl([
    'pkey',
    '-in',
    at('client-key.pem'),
    '-aes256',
    ...passout,
    '-out',
    at('encrypted.pem'),
  ]);
  openssl(['ec', '-in', at('client-key.pem'), '-aes256', ...passout, '-out', at('legacy.pem')]);
  openssl([
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    at('other-key.pem'),
  ]);
  writeFileSync(
    at('chain.pem'),
    readFileSync(at('client.pem'), 'utf8') + readFileSync(at('ca.pem'), 'utf8'),
  );
  writeFileSync(at('not-pem.txt'), 'just some text\n');
  const providers = {} as Record<ProviderName, string>;
  for (const [name, source] of Object.entries(PROVIDERS)) {
    writeFileSync(at(name), `${source}\n`);
    providers[name as ProviderName] = at(name);
  }
  return {
    dir,
    ca: at('ca.pem'),
    cert: at('client.pem'),
    chain: at('chain.pem'),
    key: at('client-key.pem'),
    encryptedKey: at('encrypted.pem'),
    legacyEncryptedKey: at('legacy.pem'),
    otherKey: at('other-key.pem'),
    notPem: at('not-pem.txt'),
    providers,
  };
}
