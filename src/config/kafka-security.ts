import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { loadOauthBearerProvider } from './oauthbearer-provider';
import { buildTlsOptions, type TlsInput, type TlsLabels } from './tls-options';
import { InvalidValue, parseChoice } from './value-parsers';

/** SASL mechanisms the cluster collector can authenticate with (KafkaJS's built-in ones). */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;

/** A SASL mechanism name. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The security settings of a cluster connection, as given (flags or variables). */
export interface KafkaSecurityInput extends TlsInput {
  /** One of {@link SASL_MECHANISMS}, any case; validated here. */
  saslMechanism?: string;
  saslUsername?: string;
  saslPassword?: string;
  /** Path of the module exporting the OAUTHBEARER token provider. */
  saslOauthbearerProvider?: string;
}

/** How each setting is called where it came from (a flag or a variable), for error messages. */
export type SecurityLabels = TlsLabels &
  Record<'saslMechanism' | 'saslUsername' | 'saslPassword' | 'saslOauthbearerProvider', string>;

/**
 * KafkaJS `ssl` and `sasl` options from the given settings. `plain` and `scram-*` need a
 * username and a password, `oauthbearer` a token provider and neither of those; a username,
 * password or provider without its mechanism is refused too: half a SASL configuration is
 * refused rather than sent, since the broker's answer ("Connection closed") would not say what
 * is wrong. TLS as {@link buildTlsOptions} builds it. The provider module is loaded last, once
 * everything else is known to be usable. Throws {@link InvalidValue} with the whole message.
 */
export function buildKafkaSecurity(
  input: KafkaSecurityInput,
  labels: SecurityLabels,
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const mechanism = parseMechanism(input.saslMechanism, labels.saslMechanism);
  checkSaslSettings(mechanism, input, labels);
  const result: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  const ssl = buildTlsOptions(input, labels);
  if (ssl !== undefined) result.ssl = ssl;
  if (mechanism === 'oauthbearer') {
    const provider = input.saslOauthbearerProvider!;
    result.sasl = {
      mechanism,
      oauthBearerProvider: loadOauthBearerProvider(provider, labels.saslOauthbearerProvider),
    };
  } else if (mechanism !== undefined) {
    const { saslUsername: username, saslPassword: password } = input;
    result.sasl = { mechanism, username, password } as SASLOptions;
  }
  return result;
}

/** Each SASL setting is there exactly when its mechanism needs it. */
function checkSaslSettings(
  mechanism: SaslMechanism | undefined,
  input: KafkaSecurityInput,
  labels: SecurityLabels,
): void {
  const { saslUsername: username, saslPassword: password } = input;
  const provider = input.saslOauthbearerProvider;
  if (mechanism === 'oauthbearer') {
    const oauthbearer = `${labels.saslMechanism}=oauthbearer`;
    if (provider === undefined)
      throw new InvalidValue(`${oauthbearer} needs ${labels.saslOauthbearerProvider}`);
    if (username !== undefined || password !== undefined) {
      const given = username !== undefined ? labels.saslUsername : labels.saslPassword;
      throw new InvalidValue(
        `${oauthbearer} takes no username or password (its token provider authenticates); remove ${given}`,
      );
    }
    return;
  }
  if (provider !== undefined) {
    const other = mechanism === undefined ? '' : `, not ${mechanism}`;
    throw new InvalidValue(
      `${labels.saslOauthbearerProvider} needs ${labels.saslMechanism}=oauthbearer${other}`,
    );
  }
  if (mechanism !== undefined) {
    if (username === undefined)
      throw new InvalidValue(`${labels.saslMechanism} needs ${labels.saslUsername}`);
    if (password === undefined)
      throw new InvalidValue(`${labels.saslMechanism} needs ${labels.saslPassword}`);
  } else if (username !== undefined || password !== undefined) {
    const given = username !== undefined ? labels.saslUsername : labels.saslPassword;
    throw new InvalidValue(`${given} needs ${labels.saslMechanism}`);
  }
}

function parseMechanism(text: string | undefined, label: string): SaslMechanism | undefined {
  if (text === undefined) return undefined;
  try {
    return parseChoice(text, SASL_MECHANISMS);
  } catch (error) {
    throw new InvalidValue(`${label}='${text}' is invalid: ${(error as Error).message}`);
  }
}
