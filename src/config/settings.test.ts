import { describe, expect, it } from 'vitest';
import { proxySettings } from './proxy.js';
import { csv, haproxyBool, looksLikeWordTrue, oneOf, positiveInt, readSettings, SettingError, strictBool, unknownPrefixedVars, withFlags } from './settings.js';

describe('settings', () => {
  it('haproxyBool follows HAProxy integer casting', () => {
    expect([undefined, '', '0', '00', 'true', 'yes', 'on', ' 1', 'x1'].map(haproxyBool)).toEqual(Array(9).fill(false));
    expect(['1', '01', '2', '-1', '+3', '1abc', '10'].map(haproxyBool)).toEqual(Array(7).fill(true));
  });

  it('flags word booleans that HAProxy reads as false', () => {
    expect(looksLikeWordTrue('true')).toBe(true);
    expect(looksLikeWordTrue('YES')).toBe(true);
    expect(looksLikeWordTrue('1')).toBe(false);
    expect(looksLikeWordTrue(undefined)).toBe(false);
  });

  it('strictBool accepts the usual words and names the variable on anything else', () => {
    expect(strictBool('TRUE', 'X')).toBe(true);
    expect(strictBool('off', 'X')).toBe(false);
    expect(strictBool(undefined, 'X')).toBe(false);
    expect(() => strictBool('maybe', 'ALLOW_PRIVILEGED')).toThrow(/ALLOW_PRIVILEGED must be/);
  });

  it('parses lists, enums and integers with clear errors', () => {
    expect(csv(' /a, ,/b ')).toEqual(['/a', '/b']);
    expect(oneOf(['enforce', 'observe'])('Observe', 'MODE')).toBe('observe');
    expect(() => oneOf(['enforce', 'observe'])('learn', 'MODE')).toThrow(SettingError);
    expect(positiveInt('10', 'N')).toBe(10);
    expect(() => positiveInt('-1', 'MAX_BODY_BYTES')).toThrow(/MAX_BODY_BYTES must be a positive integer/);
  });

  it('gives the proxy tecnativa defaults: EVENTS, PING, VERSION on, everything else off', () => {
    const s = readSettings(proxySettings, {});
    expect([s.EVENTS, s.PING, s.VERSION]).toEqual([true, true, true]);
    expect([s.CONTAINERS, s.POST, s.ALLOW_START, s.INFO]).toEqual([false, false, false, false]);
    expect(s.LISTEN).toBe('127.0.0.1:2375');
    expect(s.SOCKET_PATH).toBe('/var/run/docker.sock');
    expect(s.LOG_LEVEL).toBe('info');
    expect(s.MODE).toBe('enforce');
    expect(s.ALLOW_BIND_MOUNTS).toEqual([]);
  });

  it('refuses an invalid LOG_LEVEL as HAProxy refuses to start', () => {
    expect(() => readSettings(proxySettings, { LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of/);
  });

  it('reads DISABLE_IPV6 as tecnativa\'s shell does (1, true, yes)', () => {
    for (const v of ['1', 'true', 'YES']) expect(readSettings(proxySettings, { DISABLE_IPV6: v }).DISABLE_IPV6).toBe(true);
    for (const v of ['0', 'no', '2']) expect(readSettings(proxySettings, { DISABLE_IPV6: v }).DISABLE_IPV6).toBe(false);
  });

  it('normalises capability names', () => {
    expect(readSettings(proxySettings, { ALLOW_CAPABILITIES: 'cap_net_admin, CHOWN' }).ALLOW_CAPABILITIES).toEqual(['NET_ADMIN', 'CHOWN']);
  });

  it('lists unknown PORTCULLIS_ variables', () => {
    const specs = [{ a: { env: 'PORTCULLIS_LISTEN', default: undefined, help: '', group: '', parse: (x: string | undefined) => x } }];
    expect(unknownPrefixedVars(specs, { PORTCULLIS_LISTEN: 'x', PORTCULLIS_LISTN: 'y', OTHER: 'z' })).toEqual(['PORTCULLIS_LISTN']);
  });
});

describe('withFlags', () => {
  const specs = {
    LISTEN: { env: 'X_LISTEN', flag: '--listen', default: 'a', group: 'g', help: '', parse: (r: string | undefined) => r },
    TLS_CERT: { env: 'X_TLS_CERT', flag: '--tls-cert', default: '', group: 'g', help: '', parse: (r: string | undefined) => r },
    INSECURE: { env: 'X_INSECURE', flag: '--insecure-http', default: '0', group: 'g', help: '', parse: (r: string | undefined) => r },
    NOFLAG: { env: 'X_NOFLAG', default: '', group: 'g', help: '', parse: (r: string | undefined) => r },
  };

  it('lays camelCased flags over the environment, a flag winning, booleans as 1/0', () => {
    const merged = withFlags(specs, { X_LISTEN: 'env', X_NOFLAG: 'kept', OTHER: 'x' }, { listen: 'flag', tlsCert: '/c.pem', insecureHttp: true, noflag: 'ignored' });
    expect(merged).toEqual({ X_LISTEN: 'flag', X_TLS_CERT: '/c.pem', X_INSECURE: '1', X_NOFLAG: 'kept', OTHER: 'x' });
    expect(withFlags(specs, {}, { insecureHttp: false }).X_INSECURE).toBe('0');
  });
});
