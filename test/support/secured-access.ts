/**
 * The ways into a `--secure` local cluster (scripts/local-kafka), each spelled three times: as
 * KafkaJS options (for the instrumentation and an in-process collector), as `kafka-otel collect`
 * flags and variables, and as `register` variables. Also every secret a test must never find in
 * an output (passwords, the token, the client key).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { inject } from 'vitest';
// Not the launcher's index: it loads KafkaJS, which instrumentation tests must load themselves.
import type { SecuredClusterSettings } from '../../scripts/local-kafka/cluster-security';
import { unsecuredJwt } from '../../scripts/local-kafka/unsecured-jwt';

/** One way in: a SASL mechanism over SASL_SSL, or a client certificate over mTLS. */
export type AccessName = 'plain' | 'scram-sha-256' | 'scram-sha-512' | 'oauthbearer' | 'mtls';

export const ACCESS_NAMES: readonly AccessName[] = [
  'plain',
  'scram-sha-256',
  'scram-sha-512',
  'oauthbearer',
  'mtls',
];

export interface Access {
  name: AccessName;
  brokers: string[];
  /** KafkaJS `ssl` and `sasl`. */
  kafkaJs: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** `kafka-otel collect` flags (brokers included) and the variables it reads (the password). */
  cli: { args: string[]; env: Record<string, string> };
  /** `register` variables (brokers included). */
  register: Record<string, string>;
  /** SaslAuthenticate round trips per authentication: SCRAM takes two, PLAIN and OAUTHBEARER one. */
  saslRounds: number;
}

/** The secure cluster's settings, or a clear failure: these tests need the launcher's listeners. */
export function securedCluster(): SecuredClusterSettings {
  const settings = inject('kafkaSecurity');
  if (!settings) {
    throw new Error(
      'the security tests need a `npm run kafka -- start --secure` cluster: the integration suite ' +
        'starts one; with KAFKA_BROKERS set, point it at a --secure local cluster',
    );
  }
  return settings;
}

/**
 * A token for the cluster's OAUTHBEARER principal, valid for an hour, and a provider module that
 * returns it (for the CLI and register, which load a module).
 */
export function oauthBearerFiles(settings: SecuredClusterSettings): {
  token: string;
  providerFile: string;
} {
  const token = unsecuredJwt(settings.oauthbearer.principal, 3600);
  const dir = mkdtempSync(join(tmpdir(), 'kafka-otel-oauth-'));
  const providerFile = join(dir, 'token-provider.cjs');
  writeFileSync(
    providerFile,
    `module.exports = async () => ({ value: ${JSON.stringify(token)} });\n`,
  );
  return { token, providerFile };
}

/** Every way in to one secure cluster, and every secret they hold. */
export function accesses(settings: SecuredClusterSettings): {
  ways: Record<AccessName, Access>;
  secrets: string[];
} {
  const { token, providerFile } = oauthBearerFiles(settings);
  return { ways: ways(settings, token, providerFile), secrets: secretsOf(settings, [token]) };
}

function ways(
  settings: SecuredClusterSettings,
  token: string,
  providerFile: string,
): Record<AccessName, Access> {
  const ca = readFileSync(settings.caFile, 'utf8');
  const saslSsl = settings.saslSslBrokers;
  const sasl = (
    name: 'plain' | 'scram-sha-256' | 'scram-sha-512',
    user: { username: string; password: string },
  ): Access => ({
    name,
    brokers: saslSsl,
    kafkaJs: {
      ssl: { ca: [ca] },
      sasl: {
        mechanism: name,
        username: user.username,
        password: user.password,
      } as KafkaConfig['sasl'],
    },
    cli: {
      args: [
        '--brokers',
        saslSsl.join(','),
        '--tls-ca',
        settings.caFile,
        '--sasl-mechanism',
        name,
        '--sasl-username',
        user.username,
      ],
      env: { KAFKA_OTEL_COLLECT_SASL_PASSWORD: user.password },
    },
    register: {
      KAFKA_OTEL_COLLECT_BROKERS: saslSsl.join(','),
      KAFKA_OTEL_COLLECT_TLS_CA: settings.caFile,
      KAFKA_OTEL_COLLECT_SASL_MECHANISM: name,
      KAFKA_OTEL_COLLECT_SASL_USERNAME: user.username,
      KAFKA_OTEL_COLLECT_SASL_PASSWORD: user.password,
    },
    saslRounds: name === 'plain' ? 1 : 2,
  });
  return {
    plain: sasl('plain', settings.plain),
    'scram-sha-256': sasl('scram-sha-256', settings.scramSha256),
    'scram-sha-512': sasl('scram-sha-512', settings.scramSha512),
    oauthbearer: {
      name: 'oauthbearer',
      brokers: saslSsl,
      kafkaJs: {
        ssl: { ca: [ca] },
        sasl: {
          mechanism: 'oauthbearer',
          oauthBearerProvider: () => Promise.resolve({ value: token }),
        },
      },
      cli: {
        args: [
          '--brokers',
          saslSsl.join(','),
          '--tls-ca',
          settings.caFile,
          '--sasl-mechanism',
          'oauthbearer',
          '--sasl-oauthbearer-provider',
          providerFile,
        ],
        env: {},
      },
      register: {
        KAFKA_OTEL_COLLECT_BROKERS: saslSsl.join(','),
        KAFKA_OTEL_COLLECT_TLS_CA: settings.caFile,
        KAFKA_OTEL_COLLECT_SASL_MECHANISM: 'oauthbearer',
        KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER: providerFile,
      },
      saslRounds: 1,
    },
    mtls: {
      name: 'mtls',
      brokers: settings.mtlsBrokers,
      kafkaJs: {
        ssl: {
          ca: [ca],
          cert: readFileSync(settings.clientCertFile, 'utf8'),
          key: readFileSync(settings.clientKeyFile, 'utf8'),
        },
      },
      cli: {
        args: [
          '--brokers',
          settings.mtlsBrokers.join(','),
          '--tls-ca',
          settings.caFile,
          '--tls-cert',
          settings.clientCertFile,
          '--tls-key',
          settings.clientKeyFile,
        ],
        env: {},
      },
      register: {
        KAFKA_OTEL_COLLECT_BROKERS: settings.mtlsBrokers.join(','),
        KAFKA_OTEL_COLLECT_TLS_CA: settings.caFile,
        KAFKA_OTEL_COLLECT_TLS_CERT: settings.clientCertFile,
        KAFKA_OTEL_COLLECT_TLS_KEY: settings.clientKeyFile,
      },
      saslRounds: 0,
    },
  };
}

/**
 * What must never appear in any output: the passwords, the token, and the client key (its base64
 * body lines, which is what would leak if a key file were printed).
 */
function secretsOf(settings: SecuredClusterSettings, extra: string[]): string[] {
  const keyLines = readFileSync(settings.clientKeyFile, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('-----'));
  return [
    settings.plain.password,
    settings.scramSha256.password,
    settings.scramSha512.password,
    ...keyLines,
    ...extra,
  ];
}

/** The secrets found in `text` (an empty list is the only passing answer). */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}
