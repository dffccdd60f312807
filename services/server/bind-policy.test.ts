import { describe, expect, it } from 'vitest';
import { decideBind, type BindSettings } from './bind-policy.js';

const plain: BindSettings = { host: '127.0.0.1', tlsCertPath: null, tlsKeyPath: null, allowInsecureBind: false };
const tlsFiles = { tlsCertPath: '/etc/firn/cert.pem', tlsKeyPath: '/etc/firn/key.pem' };

describe('decideBind', () => {
  it('serves plain HTTP on loopback without a warning, with or without the override', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1']) {
      expect(decideBind({ ...plain, host }), host).toEqual({ kind: 'listen', tls: null, warning: null });
      expect(decideBind({ ...plain, host, allowInsecureBind: true }), host).toEqual({ kind: 'listen', tls: null, warning: null });
    }
  });

  it('serves TLS on loopback when both files are set, without a warning', () => {
    expect(decideBind({ ...plain, ...tlsFiles })).toEqual({ kind: 'listen', tls: { certPath: '/etc/firn/cert.pem', keyPath: '/etc/firn/key.pem' }, warning: null });
  });

  it('refuses plain HTTP beyond loopback, naming the TLS variables and the override', () => {
    for (const host of ['0.0.0.0', '::', '', '192.168.1.5', 'firn.example']) {
      const d = decideBind({ ...plain, host });
      expect(d.kind, host).toBe('refuse');
      const message = d.kind === 'refuse' ? d.message : '';
      expect(message, host).toContain(`FIRN_HOST=${host === '' ? "''" : host} is not a loopback address`);
      for (const variable of ['FIRN_TLS_CERT', 'FIRN_TLS_KEY', 'FIRN_ALLOW_INSECURE_BIND=1']) expect(message, host).toContain(variable);
    }
  });

  it('serves plain HTTP beyond loopback with FIRN_ALLOW_INSECURE_BIND=1, with a loud warning', () => {
    const d = decideBind({ ...plain, host: '0.0.0.0', allowInsecureBind: true });
    expect(d.kind).toBe('listen');
    if (d.kind !== 'listen') return;
    expect(d.tls).toBe(null);
    expect(d.warning).toContain('WARNING: FIRN_ALLOW_INSECURE_BIND=1: Firn serves PLAIN HTTP on all interfaces (FIRN_HOST=0.0.0.0).');
    expect(d.warning).toContain('UNENCRYPTED');
    const specific = decideBind({ ...plain, host: '192.168.1.5', allowInsecureBind: true });
    expect(specific.kind === 'listen' ? specific.warning : null).toContain('Firn serves PLAIN HTTP on FIRN_HOST=192.168.1.5.');
  });

  it('serves TLS beyond loopback with a warning that it listens on all interfaces or on the given address', () => {
    const all = decideBind({ ...plain, ...tlsFiles, host: '0.0.0.0' });
    expect(all).toEqual({
      kind: 'listen',
      tls: { certPath: '/etc/firn/cert.pem', keyPath: '/etc/firn/key.pem' },
      warning:
        'WARNING: Firn is listening on all interfaces (FIRN_HOST=0.0.0.0) over HTTPS: any machine that can reach this port can try to log in. Allow only the clients you expect (a firewall, a private network).',
    });
    const v6 = decideBind({ ...plain, ...tlsFiles, host: '::', allowInsecureBind: true });
    expect(v6.kind === 'listen' ? v6.warning : null).toContain('listening on all interfaces (FIRN_HOST=::) over HTTPS');
    const one = decideBind({ ...plain, ...tlsFiles, host: '10.1.2.3' });
    expect(one.kind === 'listen' ? one.warning : null).toContain('listening on FIRN_HOST=10.1.2.3 over HTTPS');
  });

  it('refuses only one of FIRN_TLS_CERT and FIRN_TLS_KEY, even on loopback or with the override', () => {
    expect(decideBind({ ...plain, tlsCertPath: '/c.pem' })).toEqual({
      kind: 'refuse',
      message: 'FIRN_TLS_CERT is set but FIRN_TLS_KEY is not: set both (PEM files of the certificate chain and of its private key) to serve HTTPS, or neither',
    });
    expect(decideBind({ ...plain, host: '0.0.0.0', allowInsecureBind: true, tlsKeyPath: '/k.pem' })).toEqual({
      kind: 'refuse',
      message: 'FIRN_TLS_KEY is set but FIRN_TLS_CERT is not: set both (PEM files of the certificate chain and of its private key) to serve HTTPS, or neither',
    });
  });
});
