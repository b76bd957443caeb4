import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig } from 'kafkajs';
import { InvalidValue } from './value-parsers';

/** The TLS settings of a cluster connection, as given (flags or variables). */
export interface TlsInput {
  tls?: boolean;
  /** PEM file of the CA that signed the broker certificates. */
  tlsCaFile?: string;
  /** PEM file of the client certificate (chain), for mutual TLS. */
  tlsCertFile?: string;
  /** PEM file of the client certificate's private key. */
  tlsKeyFile?: string;
  /** Passphrase of an encrypted {@link tlsKeyFile}. */
  tlsKeyPassword?: string;
}

/** How each TLS setting is called where it came from (a flag or a variable), for messages. */
export type TlsLabels = Record<
  'tlsCaFile' | 'tlsCertFile' | 'tlsKeyFile' | 'tlsKeyPassword',
  string
>;

/**
 * KafkaJS `ssl` options from the given settings, or undefined for a plain connection. A CA file,
 * a certificate or a key implies TLS. The client certificate and its key come as a pair, and
 * are checked here, at startup: a key that does not open, or that is not the certificate's,
 * would otherwise fail every handshake with an OpenSSL code that names neither file. Messages
 * name the setting and the file, never the content or the passphrase. Throws
 * {@link InvalidValue} with the whole message.
 */
export function buildTlsOptions(input: TlsInput, labels: TlsLabels): KafkaConfig['ssl'] {
  const { tlsCertFile: certFile, tlsKeyFile: keyFile, tlsKeyPassword: passphrase } = input;
  if (certFile !== undefined && keyFile === undefined)
    throw new InvalidValue(`${labels.tlsCertFile} needs ${labels.tlsKeyFile}`);
  if (keyFile !== undefined && certFile === undefined)
    throw new InvalidValue(`${labels.tlsKeyFile} needs ${labels.tlsCertFile}`);
  if (passphrase !== undefined && keyFile === undefined)
    throw new InvalidValue(`${labels.tlsKeyPassword} needs ${labels.tlsKeyFile}`);

  const options: ConnectionOptions = {};
  if (input.tlsCaFile !== undefined) {
    options.ca = [readPem(input.tlsCaFile, labels.tlsCaFile)];
  }
  if (certFile !== undefined && keyFile !== undefined) {
    const cert = readPem(certFile, labels.tlsCertFile);
    const key = readPem(keyFile, labels.tlsKeyFile);
    checkClientPair({ cert, certFile, key, keyFile, passphrase }, labels);
    Object.assign(options, { cert, key }, passphrase === undefined ? {} : { passphrase });
  }
  if (Object.keys(options).length > 0) return options;
  return input.tls === true ? true : undefined;
}

function readPem(file: string, label: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidValue(`cannot read ${label} file '${file}': ${fileProblem(error)}`);
  }
}

/** Why a file could not be read, without Node's repetition of the path. */
function fileProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return (error as Error).message;
  }
}

interface ClientPair {
  cert: string;
  certFile: string;
  key: string;
  keyFile: string;
  passphrase: string | undefined;
}

/** The certificate parses, the key opens (with the passphrase, if encrypted) and is its key. */
function checkClientPair(pair: ClientPair, labels: TlsLabels): void {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pair.cert);
  } catch {
    throw new InvalidValue(
      `${labels.tlsCertFile} file '${pair.certFile}' holds no PEM certificate`,
    );
  }
  const privateKey = openKey(pair, labels);
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new InvalidValue(
      `${labels.tlsKeyFile} file '${pair.keyFile}' is not the key of ` +
        `${labels.tlsCertFile} file '${pair.certFile}'`,
    );
  }
}

/** PKCS#8 (`ENCRYPTED PRIVATE KEY`) and the traditional OpenSSL form (`Proc-Type: 4,ENCRYPTED`). */
const ENCRYPTED_PEM = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

function openKey(pair: ClientPair, labels: TlsLabels): KeyObject {
  const encrypted = ENCRYPTED_PEM.test(pair.key);
  const where = `${labels.tlsKeyFile} file '${pair.keyFile}'`;
  if (encrypted && pair.passphrase === undefined) {
    throw new InvalidValue(`${where} is an encrypted key: it needs ${labels.tlsKeyPassword}`);
  }
  try {
    return createPrivateKey({ key: pair.key, format: 'pem', passphrase: pair.passphrase });
  } catch {
    // OpenSSL's own codes differ between versions (a wrong passphrase may even decrypt to bytes
    // that fail later as ASN.1): for an encrypted key, any failure means the passphrase.
    throw new InvalidValue(
      encrypted
        ? `${labels.tlsKeyPassword} does not decrypt ${where}`
        : `${where} holds no PEM private key`,
    );
  }
}
