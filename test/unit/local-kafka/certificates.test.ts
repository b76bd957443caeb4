/**
 * The certificates a --secure cluster gets, made by the real openssl and checked with Node's own
 * X.509 parser: who signed what, for which names and uses.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificatePaths,
  CLIENT_CERTIFICATE_CN,
  generateCertificates,
  type CertificateFiles,
} from '../../../scripts/local-kafka/certificates';

let dir: string;
let files: CertificateFiles;

/** Every PEM block of one kind in a file, in order. */
function pemBlocks(file: string, label: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(new RegExp(`-----BEGIN ${label}-----[^-]+-----END ${label}-----`, 'g')),
  ].map((m) => m[0]);
}

function certificate(file: string, index = 0): X509Certificate {
  const block = pemBlocks(file, 'CERTIFICATE')[index];
  if (!block) throw new Error(`no certificate #${index} in ${file}`);
  return new X509Certificate(block);
}

beforeAll(async () => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'local-kafka-certs-')), 'security');
  files = await generateCertificates(dir);
}, 30_000);

afterAll(() => {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('generateCertificates', () => {
  it('writes every file into the security folder, keys readable by the owner only', () => {
    expect(certificatePaths(files).map((f) => path.dirname(f))).toEqual(Array(5).fill(dir));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(files.brokerKeystoreFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(files.clientKeyFile).mode & 0o777).toBe(0o600);
    // No CA key is kept: nothing else can ever be signed by this cluster's CA.
    expect(fs.readdirSync(dir).sort()).toEqual([
      'broker-keystore.pem',
      'ca.pem',
      'client-cert.pem',
      'client-key.pem',
      'untrusted-ca.pem',
    ]);
  });

  it('makes a CA that signed a broker certificate for 127.0.0.1 and localhost', () => {
    const ca = certificate(files.caFile);
    expect(ca.ca).toBe(true);
    const broker = certificate(files.brokerKeystoreFile, 0);
    expect(broker.ca).toBe(false);
    expect(broker.verify(ca.publicKey)).toBe(true);
    expect(broker.checkIssued(ca)).toBe(true);
    expect(broker.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(broker.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(broker.checkHost('localhost')).toBe('localhost');
    expect(broker.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    // The key store holds the key (PKCS#8) and the chain up to the CA, as Kafka's PEM store reads it.
    expect(pemBlocks(files.brokerKeystoreFile, 'PRIVATE KEY')).toHaveLength(1);
    expect(certificate(files.brokerKeystoreFile, 1).fingerprint256).toBe(ca.fingerprint256);
    const key = createPrivateKey(pemBlocks(files.brokerKeystoreFile, 'PRIVATE KEY')[0] ?? '');
    expect(broker.checkPrivateKey(key)).toBe(true);
  });

  it('makes a client certificate for mTLS, signed by the same CA, with its PKCS#8 key', () => {
    const ca = certificate(files.caFile);
    const client = certificate(files.clientCertFile);
    expect(client.subject).toBe(`CN=${CLIENT_CERTIFICATE_CN}`);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // clientAuth
    expect(fs.readFileSync(files.clientKeyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(client.checkPrivateKey(createPrivateKey(fs.readFileSync(files.clientKeyFile)))).toBe(
      true,
    );
  });

  it('makes an untrusted CA that signed neither certificate', () => {
    const untrusted = certificate(files.untrustedCaFile);
    expect(untrusted.ca).toBe(true);
    expect(untrusted.fingerprint256).not.toBe(certificate(files.caFile).fingerprint256);
    expect(certificate(files.brokerKeystoreFile).verify(untrusted.publicKey)).toBe(false);
    expect(certificate(files.clientCertFile).verify(untrusted.publicKey)).toBe(false);
  });
});
