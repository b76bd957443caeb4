import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { InvalidValue, parseChoice } from './value-parsers';

/** SASL mechanisms the cluster collector can authenticate with (KafkaJS's built-in ones). */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** A SASL mechanism name. */
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The security settings of a cluster connection, as given (flags or variables). */
export interface KafkaSecurityInput {
  /** One of {@link SASL_MECHANISMS}, any case; validated here. */
  saslMechanism?: string;
  saslUsername?: string;
  saslPassword?: string;
  tls?: boolean;
  tlsCaFile?: string;
}

/** How each setting is called where it came from (a flag or a variable), for error messages. */
export type SecurityLabels = Record<'saslMechanism' | 'saslUsername' | 'saslPassword', string>;

/**
 * KafkaJS `ssl` and `sasl` options from the given settings. A mechanism needs a username and a
 * password, and a username or password needs a mechanism: half a SASL configuration is refused
 * rather than sent, since the broker's answer ("Connection closed") would not say what is wrong.
 * A CA file implies TLS. Throws {@link InvalidValue} with the whole message.
 */
export function buildKafkaSecurity(
  input: KafkaSecurityInput,
  labels: SecurityLabels,
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const result: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  const { saslUsername: username, saslPassword: password } = input;
  const mechanism = parseMechanism(input.saslMechanism, labels.saslMechanism);
  if (mechanism !== undefined) {
    if (username === undefined)
      throw new InvalidValue(`${labels.saslMechanism} needs ${labels.saslUsername}`);
    if (password === undefined)
      throw new InvalidValue(`${labels.saslMechanism} needs ${labels.saslPassword}`);
    result.sasl = { mechanism, username, password } as SASLOptions;
  } else if (username !== undefined || password !== undefined) {
    const given = username !== undefined ? labels.saslUsername : labels.saslPassword;
    throw new InvalidValue(`${given} needs ${labels.saslMechanism}`);
  }
  if (input.tlsCaFile !== undefined) {
    result.ssl = { ca: [readCa(input.tlsCaFile)] };
  } else if (input.tls === true) {
    result.ssl = true;
  }
  return result;
}

function parseMechanism(text: string | undefined, label: string): SaslMechanism | undefined {
  if (text === undefined) return undefined;
  try {
    return parseChoice(text, SASL_MECHANISMS);
  } catch (error) {
    throw new InvalidValue(`${label}='${text}' is invalid: ${(error as Error).message}`);
  }
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidValue(`cannot read the CA file '${file}': ${(error as Error).message}`);
  }
}
