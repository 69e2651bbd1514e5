// Query-only checks: build (host network, remote context) and image create (URL import).
import type { BodyConstraints } from '../types.js';
import { violation, type Violation } from './read.js';

/**
 * `POST /build`: `networkmode=host|container:<id>` runs RUN steps in the host's (or another
 * container's) network; a `remote` context makes the daemon fetch a URL or clone a repository
 * from its own network position (SSRF). `client-session` is BuildKit's "context comes from the
 * client" marker, not a fetch. Every value of a repeated key is checked.
 */
export function checkBuildQuery(query: URLSearchParams, c: BodyConstraints): Violation | undefined {
  if (!c.allowHostNamespaces) {
    const host = query.getAll('networkmode').find((m) => {
      const v = m.trim().toLowerCase();
      return v === 'host' || v.startsWith('container:');
    });
    if (host !== undefined) return violation('query:build-network-host', `build networkmode "${host.slice(0, 80)}" is not allowed (allowHostNamespaces is off)`);
  }
  if (!c.allowRuntimeTweaks) {
    const remote = query.getAll('remote').find((r) => r !== '' && r !== 'client-session');
    if (remote !== undefined) return violation('query:remote-url', 'build from a remote URL or git repository is not allowed (allowRuntimeTweaks is off)');
  }
  return undefined;
}

/** `POST /images/create?fromSrc=<url>` makes the daemon download a URL (SSRF); only `-` (the body) is allowed. */
export function checkImageCreateQuery(query: URLSearchParams): Violation | undefined {
  const src = query.getAll('fromSrc').find((s) => s !== '' && s !== '-');
  return src === undefined ? undefined : violation('query:remote-url', 'importing an image from a URL (fromSrc) is not allowed');
}
