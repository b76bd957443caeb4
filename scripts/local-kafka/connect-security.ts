/**
 * What `connect start --secure` adds to the cluster's worker: an https REST listener whose
 * certificate the cluster's CA signed, and HTTP Basic authentication with a random password.
 * The password is made at the first secure start and kept in the cluster's security folder
 * (connect-credentials.json, mode 0600) like the brokers' users: never logged or printed.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { certificateFiles, writePrivate } from './certificates';
import type { ClusterState } from './cluster-state';
import { connectJaasConfig, connectUsersFile, type ConnectRestSecurity } from './connect-config';
import type { ConnectRestAccess } from './connect-rest-probe';
import { LocalKafkaError } from './errors';
import { findOnPath } from './executable-lookup';
import { connectPaths, securityDir } from './paths';

const execFileAsync = promisify(execFile);

/** The one REST user of a secure worker; only its password is a secret. */
export const CONNECT_REST_USERNAME = 'kafka-otel-connect';

const CREDENTIALS_FILE = 'connect-credentials.json';
const USERS_FILE = 'connect-rest-users.properties';

/** What a client needs to reach the secure worker: what KAFKA_CONNECT_CREDENTIALS names. */
export interface ConnectCredentials {
  /** The worker's REST base URL, https. */
  url: string;
  username: string;
  password: string;
  /** The cluster's CA (PEM): the worker's certificate chains to it. */
  caFile: string;
  /** This file (mode 0600), the only place besides the worker's users file holding the password. */
  credentialsFile: string;
}

export function connectCredentialsPath(cluster: string): string {
  return path.join(securityDir(cluster), CREDENTIALS_FILE);
}

/** The secure worker's credentials as saved, or undefined when it never started secure. */
export function readConnectCredentials(cluster: string): ConnectCredentials | undefined {
  const file = connectCredentialsPath(cluster);
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ConnectCredentials>;
    const { url, username, password, caFile } = saved;
    if (
      typeof url !== 'string' ||
      typeof username !== 'string' ||
      typeof password !== 'string' ||
      typeof caFile !== 'string'
    ) {
      return undefined;
    }
    return { url, username, password, caFile, credentialsFile: file };
  } catch {
    return undefined;
  }
}

/** The probe's view of the credentials: the CA as text, read once per start or status. */
export function restAccess(credentials: ConnectCredentials): ConnectRestAccess {
  return {
    username: credentials.username,
    password: credentials.password,
    ca: fs.readFileSync(credentials.caFile, 'utf8'),
  };
}

/** The TLS files a secure worker reuses; a cluster created without --secure has none. */
function requireSecureCluster(state: ClusterState): ReturnType<typeof certificateFiles> {
  const files = certificateFiles(securityDir(state.cluster));
  const missing = [files.caFile, files.brokerKeystoreFile].filter((f) => !fs.existsSync(f));
  if (!state.secure) {
    throw new LocalKafkaError(
      `connect start --secure needs a cluster created with --secure (its CA signs the worker's certificate); ` +
        `'${state.cluster}' was not. Use a secure cluster, or recreate this one with \`npm run kafka -- start --cluster ${state.cluster} --secure --fresh\`.`,
    );
  }
  if (missing.length > 0) {
    throw new LocalKafkaError(
      `Cluster '${state.cluster}' was created --secure but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; ` +
        'recreate it with --fresh.',
    );
  }
  return files;
}

/** 24 random bytes as base64url: 192 bits, nothing a properties file or JAAS option would mangle. */
function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Everything the secure worker reads besides its properties: the users file and JAAS config of
 * its Basic authentication, and a PKCS#12 key store. The key store holds the brokers' key and
 * certificate (SAN 127.0.0.1 and localhost, signed by the cluster's CA, whose key was discarded
 * when the cluster was made: nothing new can be signed), converted by `openssl pkcs12` with a
 * new random password each start. Returns what the properties and the readiness probe need.
 */
export async function prepareSecureWorker(
  state: ClusterState,
  url: string,
  env: NodeJS.ProcessEnv,
): Promise<{
  credentials: ConnectCredentials;
  rest: ConnectRestSecurity;
  jaasFile: string;
}> {
  const files = requireSecureCluster(state);
  const previous = readConnectCredentials(state.cluster);
  const credentials: ConnectCredentials = {
    url,
    username: CONNECT_REST_USERNAME,
    password: previous?.password ?? randomSecret(),
    caFile: files.caFile,
    credentialsFile: connectCredentialsPath(state.cluster),
  };
  // Rewritten on every start: the cluster may have moved to another --port since the last one.
  const { credentialsFile, ...saved } = credentials;
  writePrivate(credentialsFile, `${JSON.stringify(saved, null, 2)}\n`);
  const usersFile = path.join(securityDir(state.cluster), USERS_FILE);
  writePrivate(usersFile, connectUsersFile([credentials]));

  const { dir } = connectPaths(state.cluster);
  fs.mkdirSync(dir, { recursive: true });
  const jaasFile = path.join(dir, 'connect-jaas.conf');
  fs.writeFileSync(jaasFile, connectJaasConfig(usersFile));
  const rest: ConnectRestSecurity = {
    keystoreFile: path.join(dir, 'rest-keystore.p12'),
    keystorePassword: randomSecret(),
  };
  await writePkcs12(files.brokerKeystoreFile, rest, env);
  return { credentials, rest, jaasFile };
}

async function writePkcs12(
  pemKeystore: string,
  target: ConnectRestSecurity,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const openssl = findOnPath('openssl', env.PATH);
  if (!openssl) {
    throw new LocalKafkaError(
      "connect start --secure needs `openssl` on PATH to make the worker's key store (Debian/Ubuntu: `apt-get install openssl`).",
    );
  }
  fs.rmSync(target.keystoreFile, { force: true });
  try {
    // The password goes through the environment, not the command line other users can read.
    // prettier-ignore
    await execFileAsync(openssl, [
      'pkcs12', '-export', '-in', pemKeystore, '-name', 'connect-rest',
      '-passout', 'env:KAFKA_OTEL_KEYSTORE_PASSWORD', '-out', target.keystoreFile,
    ], { env: { ...env, KAFKA_OTEL_KEYSTORE_PASSWORD: target.keystorePassword }, timeout: 30_000 });
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new LocalKafkaError(
      `openssl pkcs12 failed while making the Connect worker's key store: ${e.stderr?.trim() || e.message}`,
    );
  }
  fs.chmodSync(target.keystoreFile, 0o600);
}
