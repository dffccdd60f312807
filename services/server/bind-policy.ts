/**
 * The bind policy: where the server may listen and how, decided from the configuration
 * before anything is opened (services/server/main.ts). Firn is safe by default: on loopback
 * (127.0.0.0/8, ::1, localhost) it serves plain HTTP, since only this machine reaches it;
 * beyond loopback passwords, access tokens and query results would cross a network, so it
 * refuses to start unless that traffic is encrypted (FIRN_TLS_CERT + FIRN_TLS_KEY: HTTPS) or
 * the operator says something else confines it (FIRN_ALLOW_INSECURE_BIND=1: a TLS proxy in
 * front, a container whose port is published only on the host's loopback).
 *
 * Contract (a pure function of the settings; no I/O):
 * - exactly one of FIRN_TLS_CERT / FIRN_TLS_KEY set -> refuse, whatever the host;
 * - both set -> listen over TLS (on any host); beyond loopback with a warning that the server
 *   is reachable from other machines ("listening on all interfaces" for 0.0.0.0 / :: / "");
 * - neither, loopback host -> listen on plain HTTP, no warning;
 * - neither, other host, FIRN_ALLOW_INSECURE_BIND=1 -> listen on plain HTTP with a stronger,
 *   multi-line warning;
 * - neither, other host, no override -> refuse, with a message naming FIRN_TLS_CERT,
 *   FIRN_TLS_KEY and FIRN_ALLOW_INSECURE_BIND.
 * The caller prints the warning on stderr, and on a refusal exits non-zero with the message.
 */
import { isLoopbackHost } from './loopback-host.js';

export type BindSettings = {
  host: string;
  /** FIRN_TLS_CERT: the certificate chain's PEM file, or null. */
  tlsCertPath: string | null;
  /** FIRN_TLS_KEY: the private key's PEM file, or null. */
  tlsKeyPath: string | null;
  /** FIRN_ALLOW_INSECURE_BIND=1. */
  allowInsecureBind: boolean;
};

export type TlsFiles = { certPath: string; keyPath: string };

export type BindDecision =
  | { kind: 'refuse'; message: string }
  | { kind: 'listen'; tls: TlsFiles | null; warning: string | null };

export function decideBind(s: BindSettings): BindDecision {
  if ((s.tlsCertPath === null) !== (s.tlsKeyPath === null)) {
    const [set, unset] = s.tlsCertPath !== null ? ['FIRN_TLS_CERT', 'FIRN_TLS_KEY'] : ['FIRN_TLS_KEY', 'FIRN_TLS_CERT'];
    return {
      kind: 'refuse',
      message: `${set} is set but ${unset} is not: set both (PEM files of the certificate chain and of its private key) to serve HTTPS, or neither`,
    };
  }
  const tls = s.tlsCertPath !== null && s.tlsKeyPath !== null ? { certPath: s.tlsCertPath, keyPath: s.tlsKeyPath } : null;
  if (isLoopbackHost(s.host)) return { kind: 'listen', tls, warning: null };
  const where = isAllInterfaces(s.host) ? `all interfaces (FIRN_HOST=${shown(s.host)})` : `FIRN_HOST=${shown(s.host)}`;
  if (tls !== null) {
    return {
      kind: 'listen',
      tls,
      warning:
        `WARNING: Firn is listening on ${where} over HTTPS: any machine that can reach this port can try to log in. ` +
        'Allow only the clients you expect (a firewall, a private network).',
    };
  }
  if (s.allowInsecureBind) {
    return {
      kind: 'listen',
      tls: null,
      warning: [
        '****************************************************************************************',
        `WARNING: FIRN_ALLOW_INSECURE_BIND=1: Firn serves PLAIN HTTP on ${where}.`,
        'Passwords, access tokens and query results cross the network UNENCRYPTED: anyone on the',
        'path can read and alter them. Do this only where something else confines or encrypts the',
        "traffic (a TLS proxy in front, a container port published only on the host's loopback);",
        'otherwise set FIRN_TLS_CERT and FIRN_TLS_KEY (PEM files) to serve HTTPS.',
        '****************************************************************************************',
      ].join('\n'),
    };
  }
  return {
    kind: 'refuse',
    message:
      `FIRN_HOST=${shown(s.host)} is not a loopback address, and serving plain HTTP there would send passwords, access tokens and query results over the network unencrypted. ` +
      'Set FIRN_TLS_CERT and FIRN_TLS_KEY (PEM files) to serve HTTPS, or listen on loopback (FIRN_HOST=127.0.0.1, the default), ' +
      "or set FIRN_ALLOW_INSECURE_BIND=1 if something else confines or encrypts the traffic (a TLS proxy, a container port published only on the host's loopback)",
  };
}

/** 0.0.0.0, :: or the empty host: every interface of the machine. */
function isAllInterfaces(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '');
  return h === '' || h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0';
}

function shown(host: string): string {
  return host === '' ? "''" : host;
}
