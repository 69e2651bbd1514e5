// `--tls auto`: a local CA and an ECDSA P-256 server certificate in <data>/tls, made once and reused.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
// Node's webcrypto is the DOM Crypto at runtime; the DOM type itself is not in this build's lib.
x509.cryptoProvider.set(webcrypto as never);

/** Folder inside the data dir holding the TLS material. */
export const TLS_DIR = 'tls';
/** Validity of the local CA. */
const CA_DAYS = 3650;
/** Validity of a server certificate (browsers refuse longer ones). */
const SERVER_DAYS = 397;
/** A server certificate this close to expiry is replaced at start. */
const RENEW_BEFORE_DAYS = 30;
const DAY = 86_400_000;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface TlsMaterial {
  key: string;
  cert: string;
  /** PEM of the local CA, for clients to trust. */
  caCert: string;
  caCertPath: string;
  /** What this start did: created the CA, issued a new server certificate, or reused both. */
  action: 'created' | 'renewed' | 'reused';
  /** Subject alternative names of the server certificate. */
  names: string[];
}

/** The names the server certificate must carry: the listen address, localhost, loopbacks and the hostname. */
export function serverNames(listenHost: string): string[] {
  const names = new Set<string>(['localhost', '127.0.0.1', '::1', hostname().toLowerCase()]);
  if (!['0.0.0.0', '::', ''].includes(listenHost)) names.add(listenHost.toLowerCase());
  return [...names];
}

const serial = (): string => `01${randomBytes(15).toString('hex')}`;

async function exportKey(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

async function createCa(): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: `CN=Portcullis local CA ${randomBytes(4).toString('hex')}`,
    notBefore: new Date(now - DAY), notAfter: new Date(now + CA_DAYS * DAY), signingAlgorithm: ALG, keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, key: keys.privateKey };
}

async function issueServer(ca: { cert: x509.X509Certificate; key: CryptoKey }, names: string[]): Promise<{ cert: x509.X509Certificate; key: CryptoKey }> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(), subject: 'CN=portcullis', issuer: ca.cert.subject,
    notBefore: new Date(now - DAY), notAfter: new Date(now + SERVER_DAYS * DAY), signingAlgorithm: ALG,
    publicKey: keys.publicKey, signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((n) => ({ type: isIP(n) ? 'ip' : 'dns', value: n }))),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, key: keys.privateKey };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function sanValues(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  return ext ? ext.names.items.map((n) => n.value.toLowerCase()) : [];
}

/** Canonical form of a name: IPv6 addresses compressed (the SAN may hold 0:0:0:0:0:0:0:1 for ::1). */
function canon(name: string): string {
  return isIP(name) === 6 ? new URL(`http://[${name}]/`).hostname.slice(1, -1) : name.toLowerCase();
}

/** True when `cert` expires within the renewal window or misses one of `names`. */
function needsNew(cert: x509.X509Certificate, names: string[]): boolean {
  if (cert.notAfter.getTime() - Date.now() < RENEW_BEFORE_DAYS * DAY) return true;
  const have = new Set(sanValues(cert).map(canon));
  return names.some((n) => !have.has(canon(n)));
}

const write = (path: string, pem: string): Promise<void> => writeFile(path, pem, { mode: 0o600, flag: 'w' });

/**
 * Loads or creates the TLS material in `<dataDir>/tls`: the CA (ca.crt, ca.key) once, and the server
 * certificate (server.crt, server.key) when missing, expiring within 30 days, or not naming the listen address.
 */
export async function ensureTlsMaterial(dataDir: string, listenHost: string): Promise<TlsMaterial> {
  const dir = join(dataDir, TLS_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const p = (f: string): string => join(dir, f);
  const names = serverNames(listenHost);
  const [caPem, caKeyPem, certPem, keyPem] = await Promise.all(['ca.crt', 'ca.key', 'server.crt', 'server.key'].map((f) => readIfExists(p(f))));
  let action: TlsMaterial['action'] = 'reused';
  let ca: { cert: x509.X509Certificate; key: CryptoKey };
  if (caPem === undefined || caKeyPem === undefined) {
    ca = await createCa();
    await write(p('ca.key'), await exportKey(ca.key));
    await write(p('ca.crt'), ca.cert.toString('pem'));
    action = 'created';
  } else {
    ca = { cert: new x509.X509Certificate(caPem), key: await importKey(caKeyPem) };
  }
  if (action === 'reused' && certPem !== undefined && keyPem !== undefined && !needsNew(new x509.X509Certificate(certPem), names)) {
    return { key: keyPem, cert: certPem, caCert: ca.cert.toString('pem'), caCertPath: p('ca.crt'), action, names: sanValues(new x509.X509Certificate(certPem)) };
  }
  const server = await issueServer(ca, names);
  const key = await exportKey(server.key);
  const cert = `${server.cert.toString('pem')}\n${ca.cert.toString('pem')}\n`;
  await write(p('server.key'), key);
  await write(p('server.crt'), cert);
  return { key, cert, caCert: ca.cert.toString('pem'), caCertPath: p('ca.crt'), action: action === 'created' ? 'created' : 'renewed', names };
}
