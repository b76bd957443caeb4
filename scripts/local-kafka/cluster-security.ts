import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  certificateFiles,
  certificatePaths,
  generateCertificates,
  writePrivate,
} from './certificates';
import { LocalKafkaError } from './errors';
import type { ListenerSecurity } from './node-config';
import { securityDir } from './paths';
import { clusterPorts, HOST } from './ports';
import type { ScramCredential } from './storage-format';

/** A username and the password the cluster was created with. */
export interface UserCredentials {
  username: string;
  password: string;
}

/** Everything a client needs to reach a --secure local cluster over SASL_SSL or mTLS. */
export interface SecuredClusterSettings {
  /** host:port of each node's SASL_SSL listener (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER). */
  saslSslBrokers: string[];
  /** host:port of each node's SSL listener that requires a client certificate. */
  mtlsBrokers: string[];
  /** CA (PEM) that signed the brokers' and the client's certificates. */
  caFile: string;
  /** A CA (PEM) that signed nothing here: a client trusting only it must refuse the brokers. */
  untrustedCaFile: string;
  /** Client certificate and PKCS#8 key (PEM) for the mTLS listener; absolute paths. */
  clientCertFile: string;
  clientKeyFile: string;
  plain: UserCredentials;
  scramSha256: UserCredentials;
  scramSha512: UserCredentials;
  /** The `sub` a client puts in its unsecured JWT (see unsecuredJwt). */
  oauthbearer: { principal: string };
  /** This file (mode 0600): the settings as JSON, the only place the passwords are written to. */
  settingsFile: string;
}

/** Minimal cluster facts the settings depend on (a subset of ClusterState). */
export interface SecuredClusterShape {
  cluster: string;
  basePort: number;
  nodeCount: number;
}

const SETTINGS_FILE = 'client-settings.json';

/** The principal names are fixed and harmless; only the passwords are secrets. */
const USERNAMES = {
  plain: 'kafka-otel-plain',
  scramSha256: 'kafka-otel-scram-sha-256',
  scramSha512: 'kafka-otel-scram-sha-512',
  oauthbearer: 'kafka-otel-oauth',
} as const;

export function settingsFilePath(cluster: string): string {
  return path.join(securityDir(cluster), SETTINGS_FILE);
}

/**
 * 24 random bytes as base64url: 192 bits, and only characters that need no quoting in a JAAS
 * option, a properties value or StorageTool's `name=...,password=...` syntax.
 */
function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Addresses and file paths follow from the cluster's current base port and folder. */
function derivedSettings(
  shape: SecuredClusterShape,
): Omit<SecuredClusterSettings, 'plain' | 'scramSha256' | 'scramSha512' | 'oauthbearer'> {
  const ports = clusterPorts(shape.basePort, shape.nodeCount);
  const files = certificateFiles(securityDir(shape.cluster));
  return {
    saslSslBrokers: ports.map((p) => `${HOST}:${p.saslSslPort}`),
    mtlsBrokers: ports.map((p) => `${HOST}:${p.mtlsPort}`),
    caFile: files.caFile,
    untrustedCaFile: files.untrustedCaFile,
    clientCertFile: files.clientCertFile,
    clientKeyFile: files.clientKeyFile,
    settingsFile: settingsFilePath(shape.cluster),
  };
}

function writeSettings(settings: SecuredClusterSettings): void {
  writePrivate(settings.settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
}

/**
 * Creates the certificates and users of a new secure cluster. The passwords are random, made
 * here once, and written only to client-settings.json (mode 0600): never logged or printed.
 */
export async function createClusterSecurity(
  shape: SecuredClusterShape,
  env: NodeJS.ProcessEnv,
): Promise<SecuredClusterSettings> {
  await generateCertificates(securityDir(shape.cluster), env);
  const settings: SecuredClusterSettings = {
    ...derivedSettings(shape),
    plain: { username: USERNAMES.plain, password: randomPassword() },
    scramSha256: { username: USERNAMES.scramSha256, password: randomPassword() },
    scramSha512: { username: USERNAMES.scramSha512, password: randomPassword() },
    oauthbearer: { principal: USERNAMES.oauthbearer },
  };
  writeSettings(settings);
  return settings;
}

function isCredentials(value: unknown): value is UserCredentials {
  const v = value as Partial<UserCredentials> | undefined;
  return typeof v?.username === 'string' && typeof v.password === 'string';
}

/**
 * The settings of an existing secure cluster: the users from its client-settings.json, the
 * addresses and paths recomputed (a stopped cluster may have moved to another --port).
 * Undefined when the file is missing or unreadable.
 */
export function readClusterSecurity(
  shape: SecuredClusterShape,
): SecuredClusterSettings | undefined {
  let saved: Partial<SecuredClusterSettings>;
  try {
    saved = JSON.parse(fs.readFileSync(settingsFilePath(shape.cluster), 'utf8')) as typeof saved;
  } catch {
    return undefined;
  }
  const { plain, scramSha256, scramSha512, oauthbearer } = saved;
  if (
    !isCredentials(plain) ||
    !isCredentials(scramSha256) ||
    !isCredentials(scramSha512) ||
    typeof oauthbearer?.principal !== 'string'
  ) {
    return undefined;
  }
  return { ...derivedSettings(shape), plain, scramSha256, scramSha512, oauthbearer };
}

/**
 * The settings before a start: the certificates must still be there (the brokers load them) and
 * the file is rewritten so its addresses match the ports this start uses.
 */
export function requireClusterSecurity(shape: SecuredClusterShape): SecuredClusterSettings {
  const settings = readClusterSecurity(shape);
  const files = certificateFiles(securityDir(shape.cluster));
  const missing = certificatePaths(files).filter((f) => !fs.existsSync(f));
  if (!settings || missing.length > 0) {
    const problem = settings
      ? `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`
      : `${settingsFilePath(shape.cluster)} is missing or unreadable`;
    throw new LocalKafkaError(
      `Cluster '${shape.cluster}' was created --secure but ${problem}. ` +
        'Add --fresh to delete its data and recreate it with new certificates and users.',
    );
  }
  writeSettings(settings);
  return settings;
}

/** What the brokers' server.properties need: their key store, the CA, the PLAIN users. */
export function listenerSecurity(settings: SecuredClusterSettings): ListenerSecurity {
  const files = certificateFiles(path.dirname(settings.settingsFile));
  return {
    keystoreFile: files.brokerKeystoreFile,
    truststoreFile: files.caFile,
    plainUsers: [settings.plain],
  };
}

/** The SCRAM users written into the bootstrap metadata when the storage is formatted. */
export function scramCredentials(settings: SecuredClusterSettings): ScramCredential[] {
  return [
    { mechanism: 'SCRAM-SHA-256', ...settings.scramSha256 },
    { mechanism: 'SCRAM-SHA-512', ...settings.scramSha512 },
  ];
}
