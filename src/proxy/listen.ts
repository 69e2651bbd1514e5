// Parses LISTEN values and binds a server to TCP (v4, v6, dual-stack) or a unix socket (mode 0660).
import { chmodSync, existsSync, lstatSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';

export type ListenTarget = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** Parses `127.0.0.1:2375`, `[::]:2375`, `0.0.0.0:2375`, `:2375` or `unix:/path`. */
export function parseListen(value: string): ListenTarget {
  const v = value.trim();
  if (v.startsWith('unix:')) {
    const path = v.slice(5);
    if (!path.startsWith('/')) throw new Error(`LISTEN=${v}: a unix socket path must be absolute (unix:/run/portcullis.sock)`);
    return { kind: 'unix', path };
  }
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(v);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`LISTEN=${v}: expected host:port, [ipv6]:port or unix:/path`);
  }
  return { kind: 'tcp', host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Binds `server` to the target; `[::]` is dual-stack unless `disableIpv6`, and falls back to IPv4. */
export async function bind(server: Server, target: ListenTarget, opts: { disableIpv6?: boolean; socketMode?: number } = {}): Promise<void> {
  if (target.kind === 'unix') {
    if (existsSync(target.path)) {
      if (!lstatSync(target.path).isSocket()) throw new Error(`LISTEN: ${target.path} exists and is not a socket; refusing to replace it`);
      unlinkSync(target.path);
    }
    await listenOnce(server, { path: target.path });
    chmodSync(target.path, opts.socketMode ?? 0o660);
    return;
  }
  let host = target.host;
  if (host === '::' && opts.disableIpv6) host = '0.0.0.0';
  try {
    await listenOnce(server, { host, port: target.port, ipv6Only: false });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (host === '::' && (code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL')) {
      await listenOnce(server, { host: '0.0.0.0', port: target.port });
    } else throw err;
  }
}

function listenOnce(server: Server, opts: { path?: string; host?: string; port?: number; ipv6Only?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
