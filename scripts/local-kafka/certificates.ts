import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LocalKafkaError } from './errors';
import { findOnPath } from './executable-lookup';
import { HOST } from './ports';

const execFileAsync = promisify(execFile);

/** The TLS files of a secure cluster, all PEM, all in its security folder. */
export interface CertificateFiles {
  /** The CA that signed the broker and client certificates: what clients and brokers trust. */
  caFile: string;
  /** A CA that signed nothing here, for tests that need a wrong trust anchor. */
  untrustedCaFile: string;
  /** The broker's PKCS#8 key followed by its certificate and the CA (ssl.keystore.type=PEM). */
  brokerKeystoreFile: string;
  /** Certificate and PKCS#8 key a client presents on the mTLS listener. */
  clientCertFile: string;
  clientKeyFile: string;
}

export function certificateFiles(dir: string): CertificateFiles {
  return {
    caFile: path.join(dir, 'ca.pem'),
    untrustedCaFile: path.join(dir, 'untrusted-ca.pem'),
    brokerKeystoreFile: path.join(dir, 'broker-keystore.pem'),
    clientCertFile: path.join(dir, 'client-cert.pem'),
    clientKeyFile: path.join(dir, 'client-key.pem'),
  };
}

/** Every file of `files`, for checks that they all exist. */
export function certificatePaths(files: CertificateFiles): string[] {
  return [
    files.caFile,
    files.untrustedCaFile,
    files.brokerKeystoreFile,
    files.clientCertFile,
    files.clientKeyFile,
  ];
}

/** Subject of the certificate a mTLS client presents; the broker sees `User:CN=...` as principal. */
export const CLIENT_CERTIFICATE_CN = 'kafka-otel-mtls-client';

/** Long enough that a local cluster never outlives its certificates (nothing here is public). */
const VALIDITY_DAYS = '3650';

/**
 * Extension sections for `-extensions NAME`. Written out rather than taken from the system's
 * openssl.cnf, whose `v3_ca` defaults would also mark the leaf certificates as CAs.
 */
const OPENSSL_CONFIG = `[req]
distinguished_name = subject
prompt = no
[subject]
CN = replaced by -subj
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[broker]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:${HOST}, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

function requireOpenssl(env: NodeJS.ProcessEnv): string {
  const found = findOnPath('openssl', env.PATH);
  if (found) return found;
  throw new LocalKafkaError(
    'A --secure cluster needs `openssl` on PATH to create its certificates (Debian/Ubuntu: `apt-get install openssl`).',
  );
}

/**
 * Makes every certificate a secure cluster needs with `openssl`: a CA, the broker's certificate
 * (SAN IP:127.0.0.1 and DNS:localhost, which clients verify), a client certificate for mTLS
 * signed by the same CA, and an unrelated CA. Keys are P-256 in PKCS#8 (`openssl genpkey`'s
 * output), which Kafka's PEM key store reads on 3.9 and 4.x without a key password. The CA keys
 * live only in a temporary folder: nothing else is ever signed for this cluster.
 */
export async function generateCertificates(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CertificateFiles> {
  const openssl = requireOpenssl(env);
  const files = certificateFiles(dir);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-otel-certs-'));
  const inWork = (name: string): string => path.join(work, name);
  const run = async (args: string[]): Promise<void> => {
    try {
      await execFileAsync(openssl, args, { cwd: work, timeout: 30_000 });
    } catch (error) {
      const e = error as Error & { stderr?: string };
      throw new LocalKafkaError(
        `openssl ${args[0] ?? ''} failed while creating the cluster's certificates: ${e.stderr?.trim() || e.message}`,
      );
    }
  };
  const newKey = (file: string): Promise<void> =>
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  const selfSignedCa = async (keyFile: string, certFile: string, cn: string): Promise<void> => {
    await newKey(keyFile);
    // Random serials: two certificates of one issuer must never share a serial.
    // prettier-ignore
    await run([
      'req', '-x509', '-new', '-config', inWork('openssl.cnf'), '-extensions', 'ca',
      '-key', keyFile, '-subj', `/CN=${cn}`, '-days', VALIDITY_DAYS, '-sha256',
      '-set_serial', serial(), '-out', certFile,
    ]);
  };
  const signedLeaf = async (
    keyFile: string,
    certFile: string,
    cn: string,
    extensions: 'broker' | 'client',
  ): Promise<void> => {
    await newKey(keyFile);
    const csr = inWork(`${extensions}.csr`);
    // prettier-ignore
    await run([
      'req', '-new', '-config', inWork('openssl.cnf'), '-key', keyFile, '-subj', `/CN=${cn}`,
      '-out', csr,
    ]);
    // prettier-ignore
    await run([
      'x509', '-req', '-in', csr, '-CA', inWork('ca.pem'), '-CAkey', inWork('ca-key.pem'),
      '-set_serial', serial(), '-days', VALIDITY_DAYS, '-sha256',
      '-extfile', inWork('openssl.cnf'), '-extensions', extensions, '-out', certFile,
    ]);
  };

  try {
    fs.writeFileSync(inWork('openssl.cnf'), OPENSSL_CONFIG);
    await selfSignedCa(inWork('ca-key.pem'), inWork('ca.pem'), 'kafka-otel local test CA');
    await signedLeaf(inWork('broker-key.pem'), inWork('broker.pem'), 'localhost', 'broker');
    await signedLeaf(
      inWork('client-key.pem'),
      inWork('client.pem'),
      CLIENT_CERTIFICATE_CN,
      'client',
    );
    await selfSignedCa(
      inWork('untrusted-ca-key.pem'),
      inWork('untrusted-ca.pem'),
      'kafka-otel untrusted test CA',
    );

    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const read = (name: string): string => fs.readFileSync(inWork(name), 'utf8');
    fs.writeFileSync(files.caFile, read('ca.pem'));
    fs.writeFileSync(files.untrustedCaFile, read('untrusted-ca.pem'));
    // Key first, then the chain up to the CA, so clients that check the chain get all of it.
    writePrivate(
      files.brokerKeystoreFile,
      read('broker-key.pem') + read('broker.pem') + read('ca.pem'),
    );
    fs.writeFileSync(files.clientCertFile, read('client.pem'));
    writePrivate(files.clientKeyFile, read('client-key.pem'));
    return files;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function serial(): string {
  // 16 random bytes with the top bit clear: a positive serial, as RFC 5280 asks.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return `0x${bytes.toString('hex')}`;
}

/** Creates or replaces a file only its owner can read (keys, passwords). */
export function writePrivate(file: string, content: string): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing one keeps its old bits otherwise.
  fs.chmodSync(file, 0o600);
}
