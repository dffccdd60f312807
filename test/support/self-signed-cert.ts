/**
 * A throwaway self-signed certificate for 127.0.0.1, made with the `openssl` CLI, for tests
 * that serve HTTPS (the listener's unit test, the TLS integration and security tests).
 *
 * Contract: writes cert.pem and key.pem into `dir` (RSA 2048, CN and subjectAltName
 * IP:127.0.0.1, valid one day) and returns their paths and the certificate's PEM text (the
 * CA a client trusts, as the certificate signs itself).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type SelfSignedCert = { certPath: string; keyPath: string; certPem: string };

export function makeSelfSignedCert(dir: string): SelfSignedCert {
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath],
    { stdio: 'ignore' },
  );
  return { certPath, keyPath, certPem: readFileSync(certPath, 'utf8') };
}
