import type { KafkaConfig } from 'kafkajs';
import {
  SASL_MECHANISM,
  SASL_OAUTHBEARER_PROVIDER,
  SASL_PASSWORD,
  SASL_PASSWORD_ENV,
  SASL_USERNAME,
  TLS,
  TLS_CA,
  TLS_CERT,
  TLS_KEY,
  TLS_KEY_PASSWORD,
  TLS_KEY_PASSWORD_ENV,
} from '../config/collector-settings';
import { buildKafkaSecurity } from '../config/kafka-security';
import { settingVariables, type Setting } from '../config/setting';
import type { CollectArgs } from './collect-args';
import { UsageError } from './usage-error';

/**
 * `kafka-otel collect`'s TLS and SASL settings as KafkaJS `ssl` and `sasl` options: files read,
 * the client key opened, the OAUTHBEARER provider loaded. Secrets come from variables only, the
 * one their setting names or the one its `--*-env` flag names; messages name that variable,
 * never its value. Throws {@link UsageError}.
 */
export function readCollectSecurity(args: CollectArgs): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const mechanism = args.text(SASL_MECHANISM);
  const username = args.text(SASL_USERNAME);
  const provider = args.text(SASL_OAUTHBEARER_PROVIDER);
  const certFile = args.text(TLS_CERT);
  const keyFile = args.text(TLS_KEY);
  const caFile = args.text(TLS_CA);
  const password = secretVariable(args, SASL_PASSWORD, SASL_PASSWORD_ENV);
  const keyPassword = secretVariable(args, TLS_KEY_PASSWORD, TLS_KEY_PASSWORD_ENV);
  // A secret is read only where it is used: one left in the environment is not a mistake.
  const takesPassword =
    mechanism !== undefined && mechanism.value.trim().toLowerCase() !== 'oauthbearer';
  try {
    return buildKafkaSecurity(
      {
        saslMechanism: mechanism?.value,
        saslUsername: username?.value,
        saslPassword: takesPassword ? args.variable(password) : undefined,
        saslOauthbearerProvider: provider?.value,
        tls: args.switch(TLS)?.value,
        tlsCaFile: caFile?.value,
        tlsCertFile: certFile?.value,
        tlsKeyFile: keyFile?.value,
        tlsKeyPassword: keyFile ? args.variable(keyPassword) : undefined,
      },
      {
        saslMechanism: mechanism?.source ?? '--sasl-mechanism',
        saslUsername: username?.source ?? '--sasl-username',
        saslPassword: `a password in ${password} (see --sasl-password-env)`,
        saslOauthbearerProvider: provider?.source ?? '--sasl-oauthbearer-provider',
        tlsCaFile: caFile?.source ?? '--tls-ca',
        tlsCertFile: certFile?.source ?? '--tls-cert',
        tlsKeyFile: keyFile?.source ?? '--tls-key',
        tlsKeyPassword: `a passphrase in ${keyPassword} (see --tls-key-password-env)`,
      },
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The variable holding a secret: the one `--*-env` (or its variable) names, else the first of
 * the secret's own variables that is set, else its canonical one (named in messages).
 */
export function secretVariable(args: CollectArgs, secret: Setting, nameSetting: Setting): string {
  return (
    args.text(nameSetting)?.value ??
    settingVariables(secret).find((name) => args.variable(name) !== undefined) ??
    secret.env
  );
}
