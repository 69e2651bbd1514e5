// tecnativa/docker-socket-proxy's own answer for a request, to flag where Portcullis answers differently.
import { SECTION_VARS } from '../config/index.js';
import type { ProxySettings } from './settings-view.js';

const VERSION = '(/v[\\d.]+)?';
const RESTARTS = new RegExp(`^${VERSION}/containers/[a-zA-Z0-9_.-]+/((stop)|(restart)|(kill))`, 'i');
const START = new RegExp(`^${VERSION}/containers/[a-zA-Z0-9_.-]+/start`, 'i');
const STOP = new RegExp(`^${VERSION}/containers/[a-zA-Z0-9_.-]+/stop`, 'i');
const SECTIONS = SECTION_VARS.map((v) => ({ v, re: new RegExp(`^${VERSION}/${v === 'PING' ? '_ping' : v.toLowerCase()}`, 'i') }));

/** haproxy's `path,url_dec`: the path without the query, percent-decoded once (leniently). */
function urlDecPath(target: string): string {
  const q = target.indexOf('?');
  const p = q === -1 ? target : target.slice(0, q);
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/**
 * True when tecnativa's HAProxy template would let this request through (method gate, then the
 * ALLOW_* rules, then the start-anchored, case-insensitive section prefixes).
 * @example tecnativaAllows('GET', '/containersXYZ', settings) // true when CONTAINERS=1
 */
export function tecnativaAllows(method: string, target: string, s: ProxySettings): boolean {
  if (method !== 'GET' && method !== 'HEAD' && !s.POST) return false;
  const path = urlDecPath(target);
  if (s.ALLOW_RESTARTS && RESTARTS.test(path)) return true;
  if (s.ALLOW_START && START.test(path)) return true;
  if (s.ALLOW_STOP && STOP.test(path)) return true;
  return SECTIONS.some(({ v, re }) => s[v] && re.test(path));
}
