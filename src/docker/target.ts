// Where the Docker client connects: unix socket, plain TCP or TCP+TLS, parsed from options or DOCKER_HOST.
import { DockerError } from './errors.js';

/** The default socket of a local dockerd. */
export const DEFAULT_SOCKET_PATH = '/var/run/docker.sock';

/** TLS material for https:// targets (PEM text or buffers). */
export interface DockerTlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** A resolved connection target. `description` is safe to print: it never holds credentials. */
export interface DockerTarget {
  /** Origin used for HTTP requests (`http://localhost` for unix sockets). */
  origin: string;
  socketPath?: string;
  host?: string;
  port?: number;
  tls?: DockerTlsOptions;
  description: string;
}

/**
 * Resolves `socketPath` / `url` / `tls` into a target. `url` may be tcp://host:port (TLS when `tls`
 * is given), http://host:port or https://host:port; user info in the URL is refused.
 */
export function resolveTarget(opts: { socketPath?: string | undefined; url?: string | undefined; tls?: DockerTlsOptions | undefined }): DockerTarget {
  if (opts.socketPath !== undefined && opts.url !== undefined) throw configError('set either socketPath or url, not both');
  if (opts.url === undefined) {
    const socketPath = opts.socketPath ?? DEFAULT_SOCKET_PATH;
    if (socketPath === '') throw configError('socketPath is empty');
    return { origin: 'http://localhost', socketPath, description: `unix://${socketPath}` };
  }
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw configError('the Docker URL is not a valid URL (expected tcp://host:port or https://host:port)');
  }
  if (url.username !== '' || url.password !== '') {
    throw configError(`the Docker URL for ${url.hostname} must not carry credentials; use TLS client certificates`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme === 'unix') return resolveTarget({ socketPath: decodeURIComponent(url.pathname) });
  if (scheme !== 'tcp' && scheme !== 'http' && scheme !== 'https') {
    throw configError(`Docker URL scheme ${scheme}:// is not supported; use unix://, tcp://, http:// or https://`);
  }
  const secure = scheme === 'https' || (scheme === 'tcp' && opts.tls !== undefined);
  const host = url.hostname;
  if (host === '') throw configError('the Docker URL has no host');
  const port = url.port === '' ? (secure ? 2376 : 2375) : Number(url.port);
  const origin = `${secure ? 'https' : 'http'}://${host}:${port}`;
  const target: DockerTarget = { origin, host: host.replace(/^\[|\]$/g, ''), port, description: origin };
  if (secure) target.tls = opts.tls ?? {};
  return target;
}

/**
 * Turns a DOCKER_HOST value into client options: unix:///path, tcp://host:port, http(s)://host:port;
 * undefined or empty means the default socket. ssh:// and npipe:// are refused with a clear error.
 */
export function optionsFromDockerHost(dockerHost: string | undefined): { socketPath: string } | { url: string } {
  const value = dockerHost?.trim() ?? '';
  if (value === '') return { socketPath: DEFAULT_SOCKET_PATH };
  if (value.startsWith('unix://')) {
    const path = value.slice('unix://'.length);
    if (path === '') throw configError('DOCKER_HOST unix:// has no socket path');
    return { socketPath: path };
  }
  if (value.startsWith('/')) return { socketPath: value };
  if (/^(tcp|http|https):\/\//.test(value)) return { url: value };
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(value)?.[1];
  throw configError(scheme ? `DOCKER_HOST scheme ${scheme}:// is not supported; use unix://, tcp:// or https://` : 'DOCKER_HOST must look like unix:///path or tcp://host:port');
}

function configError(message: string): DockerError {
  return new DockerError(message, { statusCode: 0, operation: 'client.config', code: 'CONFIG' });
}
