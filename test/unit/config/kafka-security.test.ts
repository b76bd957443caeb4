import { withGuardedTokenProvider } from '../../../src/collectors/protocol/token-provider-guard';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import type { OauthbearerProviderResponse, SASLOptions } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildKafkaSecurity,
  type KafkaSecurityInput,
  type SecurityLabels,
} from '../../../src/config/kafka-security';
import { loadOauthBearerProvider } from '../../../src/config/oauthbearer-provider';
import {
  KEY_PASSPHRASE,
  TOKEN,
  writeSecurityFiles,
  type SecurityFiles,
} from './support/security-files';

/** Labels as `register` passes them: each setting's variable. */
const LABELS: SecurityLabels = {
  saslMechanism: 'MECHANISM',
  saslUsername: 'USERNAME',
  saslPassword: 'PASSWORD',
  saslOauthbearerProvider: 'PROVIDER',
  tlsCaFile: 'CA',
  tlsCertFile: 'CERT',
  tlsKeyFile: 'KEY',
  tlsKeyPassword: 'KEY_PASSWORD',
};

let files: SecurityFiles;
beforeAll(() => {
  files = writeSecurityFiles();
});

const pem = (file: string) => readFileSync(file, 'utf8');
const build = (input: KafkaSecurityInput) => buildKafkaSecurity(input, LABELS);

function refusal(input: KafkaSecurityInput): string {
  try {
    build(input);
  } catch (error) {
    expect((error as Error).name).toBe('InvalidValue');
    return (error as Error).message;
  }
  throw new Error('accepted');
}

type OauthBearerSasl = Extract<SASLOptions, { mechanism: 'oauthbearer' }>;

/** The provider as the cluster client hands it to KafkaJS (guarded there). */
function providerOf(input: KafkaSecurityInput) {
  const sasl = withGuardedTokenProvider(build(input).sasl, 10_000);
  expect(sasl?.mechanism).toBe('oauthbearer');
  return (sasl as OauthBearerSasl).oauthBearerProvider;
}

/** What KafkaJS's own OAUTHBEARER authenticator makes of the provider, up to the broker. */
async function authenticateWith(provider: () => Promise<OauthbearerProviderResponse>) {
  const authenticator = createRequire(import.meta.url)(
    'kafkajs/src/broker/saslAuthenticator/oauthBearer',
  ) as (sasl: OauthBearerSasl) => (args: object) => { authenticate(): Promise<void> };
  const sent: string[] = [];
  const quiet = () => undefined;
  await authenticator({ mechanism: 'oauthbearer', oauthBearerProvider: provider })({
    host: 'k',
    port: 9092,
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    saslAuthenticate: async ({ request }: { request: { encode(): Promise<Buffer> } }) => {
      sent.push((await request.encode()).toString());
    },
  }).authenticate();
  return sent;
}

describe('mutual TLS: client certificate and key', () => {
  it('passes the certificate, the key and the CA to KafkaJS', () => {
    expect(build({ tlsCertFile: files.cert, tlsKeyFile: files.key })).toEqual({
      ssl: { cert: pem(files.cert), key: pem(files.key) },
    });
    expect(
      build({ tlsCaFile: files.ca, tlsCertFile: files.chain, tlsKeyFile: files.key }).ssl,
    ).toEqual({ ca: [pem(files.ca)], cert: pem(files.chain), key: pem(files.key) });
  });

  it.each([
    ['PKCS#8', 'encryptedKey'],
    ['traditional OpenSSL', 'legacyEncryptedKey'],
  ] as const)('opens a %s encrypted key with its passphrase', (_, key) => {
    expect(
      build({ tlsCertFile: files.cert, tlsKeyFile: files[key], tlsKeyPassword: KEY_PASSPHRASE })
        .ssl,
    ).toEqual({ cert: pem(files.cert), key: pem(files[key]), passphrase: KEY_PASSPHRASE });
  });

  it('turns TLS on for a client certificate, with --tls or without', () => {
    expect(build({ tls: true, tlsCertFile: files.cert, tlsKeyFile: files.key }).ssl).toEqual({
      cert: pem(files.cert),
      key: pem(files.key),
    });
    expect(build({ tls: true }).ssl).toBe(true);
    expect(build({})).toEqual({});
  });

  it.each([
    [{ tlsCertFile: 'c.pem' }, 'CERT needs KEY'],
    [{ tlsKeyFile: 'k.pem' }, 'KEY needs CERT'],
    [{ tlsKeyPassword: 'pw' }, 'KEY_PASSWORD needs KEY'],
  ])('refuses half a client identity: %j', (input, message) => {
    expect(refusal(input)).toBe(message);
  });

  it('names the setting and the file it cannot read, and why', () => {
    const missing = `${files.dir}/absent.pem`;
    expect(refusal({ tlsCaFile: missing })).toBe(`cannot read CA file '${missing}': no such file`);
    expect(refusal({ tlsCertFile: missing, tlsKeyFile: files.key })).toBe(
      `cannot read CERT file '${missing}': no such file`,
    );
    expect(refusal({ tlsCertFile: files.cert, tlsKeyFile: files.dir })).toBe(
      `cannot read KEY file '${files.dir}': it is a directory`,
    );
  });

  it('refuses files that are not what their setting says, without showing their content', () => {
    expect(refusal({ tlsCertFile: files.key, tlsKeyFile: files.key })).toBe(
      `CERT file '${files.key}' holds no PEM certificate`,
    );
    expect(refusal({ tlsCertFile: files.cert, tlsKeyFile: files.cert })).toBe(
      `KEY file '${files.cert}' holds no PEM private key`,
    );
    expect(refusal({ tlsCertFile: files.cert, tlsKeyFile: files.notPem })).toBe(
      `KEY file '${files.notPem}' holds no PEM private key`,
    );
    expect(refusal({ tlsCertFile: files.cert, tlsKeyFile: files.otherKey })).toBe(
      `KEY file '${files.otherKey}' is not the key of CERT file '${files.cert}'`,
    );
  });

  it('asks for the passphrase of an encrypted key, and says when it is wrong, never showing it', () => {
    expect(refusal({ tlsCertFile: files.cert, tlsKeyFile: files.encryptedKey })).toBe(
      `KEY file '${files.encryptedKey}' is an encrypted key: it needs KEY_PASSWORD`,
    );
    expect(refusal({ tlsCertFile: files.cert, tlsKeyFile: files.legacyEncryptedKey })).toBe(
      `KEY file '${files.legacyEncryptedKey}' is an encrypted key: it needs KEY_PASSWORD`,
    );
    const wrong = 'not the passphrase';
    const message = refusal({
      tlsCertFile: files.cert,
      tlsKeyFile: files.encryptedKey,
      tlsKeyPassword: wrong,
    });
    expect(message).toBe(`KEY_PASSWORD does not decrypt KEY file '${files.encryptedKey}'`);
    expect(message).not.toContain(wrong);
  });
});

describe('SASL OAUTHBEARER with a token provider module', () => {
  it.each([
    ['module.exports = fn', 'default.cjs'],
    ['exports.oauthBearerProvider', 'named.cjs'],
    ['a compiled exports.default', 'compiled.js'],
    ['an ES module default export', 'default.mjs'],
    ['an ES module oauthBearerProvider export', 'named.mjs'],
  ] as const)('loads the function from %s', async (_, name) => {
    const provider = providerOf({
      saslMechanism: 'OAUTHBEARER',
      saslOauthbearerProvider: files.providers[name],
    });
    expect(await provider()).toMatchObject({ value: TOKEN });
  });

  it('passes the token and its extensions through KafkaJS to the broker unchanged', async () => {
    const provider = providerOf({
      saslMechanism: 'oauthbearer',
      saslOauthbearerProvider: files.providers['named.cjs'],
    });
    const [request] = await authenticateWith(provider);
    expect(request).toContain(`auth=Bearer ${TOKEN}\u0001`);
    expect(request).toContain('logicalCluster=lc-1\u0001');
  });

  it('resolves a relative path from the current directory', async () => {
    const path = relative(process.cwd(), files.providers['default.cjs']);
    expect(path.startsWith('/')).toBe(false);
    const provider = providerOf({ saslMechanism: 'oauthbearer', saslOauthbearerProvider: path });
    expect(await provider()).toEqual({ value: TOKEN });
    const fromElsewhere = () => loadOauthBearerProvider('default.cjs', 'PROVIDER', files.dir);
    expect(fromElsewhere).not.toThrow();
  });

  it('turns a provider that rejects into a SASL authentication failure with its message', async () => {
    const provider = providerOf({
      saslMechanism: 'oauthbearer',
      saslOauthbearerProvider: files.providers['rejects.cjs'],
    });
    const failure = authenticateWith(provider);
    await expect(failure).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
      message: 'SASL OAUTHBEARER: the token provider failed: identity provider answered 503',
    });
  });

  it.each(['wrong-shape.cjs', 'numeric-value.cjs'] as const)(
    'refuses a token without a string value (%s), without showing what it returned',
    async (name) => {
      const provider = providerOf({
        saslMechanism: 'oauthbearer',
        saslOauthbearerProvider: files.providers[name],
      });
      const error = (await authenticateWith(provider).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe('KafkaJSSASLAuthenticationError');
      expect(error.message).toBe(
        'SASL OAUTHBEARER: the token provider returned no token (expected an object with a string value)',
      );
      expect(error.message).not.toContain(TOKEN);
    },
  );

  it('refuses a module it cannot load, naming the setting and the file', () => {
    const refused = (path: string) =>
      refusal({ saslMechanism: 'oauthbearer', saslOauthbearerProvider: path });
    const { providers } = files;
    const missing = `${files.dir}/absent.cjs`;
    expect(refused(missing)).toBe(`cannot load PROVIDER '${missing}': no such module (${missing})`);
    expect(refused(providers['no-function.cjs'])).toBe(
      `PROVIDER '${providers['no-function.cjs']}' exports no function as default or as oauthBearerProvider`,
    );
    // A module's own error, first line only: no stack, nothing the module put after it.
    expect(refused(providers['throws-on-load.cjs'])).toBe(
      `cannot load PROVIDER '${providers['throws-on-load.cjs']}': cannot reach the vault`,
    );
    expect(refused(providers['missing-dependency.cjs'])).toBe(
      `cannot load PROVIDER '${providers['missing-dependency.cjs']}': Cannot find module 'kafka-otel-no-such-package'`,
    );
    expect(refused(providers['top-level-await.mjs'])).toBe(
      `cannot load PROVIDER '${providers['top-level-await.mjs']}': it uses top-level await, which a module loaded at startup cannot; await inside the exported function instead`,
    );
  });

  it.each([
    [{ saslMechanism: 'oauthbearer' }, 'MECHANISM=oauthbearer needs PROVIDER'],
    [
      { saslMechanism: 'oauthbearer', saslOauthbearerProvider: 'p.js', saslUsername: 'u' },
      'MECHANISM=oauthbearer takes no username or password (its token provider authenticates); remove USERNAME',
    ],
    [
      { saslMechanism: 'oauthbearer', saslOauthbearerProvider: 'p.js', saslPassword: 'pw' },
      'MECHANISM=oauthbearer takes no username or password (its token provider authenticates); remove PASSWORD',
    ],
    [{ saslOauthbearerProvider: 'p.js' }, 'PROVIDER needs MECHANISM=oauthbearer'],
    [
      {
        saslMechanism: 'plain',
        saslUsername: 'u',
        saslPassword: 'pw',
        saslOauthbearerProvider: 'p.js',
      },
      'PROVIDER needs MECHANISM=oauthbearer, not plain',
    ],
  ])('refuses a mismatched SASL configuration: %j', (input, message) => {
    expect(refusal(input)).toBe(message);
  });

  it('checks everything else before it runs the provider module', () => {
    // This module throws when loaded: the TLS mistake is what gets reported.
    expect(
      refusal({
        saslMechanism: 'oauthbearer',
        saslOauthbearerProvider: files.providers['throws-on-load.cjs'],
        tlsCertFile: files.cert,
      }),
    ).toBe('CERT needs KEY');
  });
});
