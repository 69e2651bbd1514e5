// The policy engine: one decision per request (transport, path, route, profile), then body inspection.
import { inspectRequest, INSPECTED_OPERATIONS } from './body/index.js';
import { matchRoute, parseTarget, type RouteMatch } from './parse.js';
import type { Profile } from './profiles.js';
import type { BodyConstraints, BodyVerdict, Decision, ParsedRequest } from './types.js';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Everything the engine knows about a request after looking at its head. */
export interface Evaluation {
  decision: Decision;
  match?: RouteMatch;
  request?: ParsedRequest;
  /** The body must be read whole (up to `constraints.maxBodyBytes`) and passed to `inspectBody` before forwarding. */
  needsBody: boolean;
  constraints?: BodyConstraints;
}

/** Operations whose body is a stream (tar, raw) rather than JSON: only their query is inspected. */
const STREAM_BODY_OPERATIONS = new Set(['image.build', 'image.create', 'plugin.create', 'image.load', 'container.archive.put']);

export interface EngineOptions {
  profile: Profile;
  mode: 'enforce' | 'observe';
  /** Host header values accepted besides loopback names, IP literals and single-label names. */
  allowedHosts: readonly string[];
}

const LOOPBACK_HOSTS = new Set(['localhost', 'api.moby.localhost', 'docker', '127.0.0.1', '[::1]', '::1']);

function hostOf(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    return end === -1 ? v : v.slice(0, end + 1);
  }
  const colon = v.lastIndexOf(':');
  return colon === -1 || v.indexOf(':') !== colon ? v : v.slice(0, colon);
}

/**
 * True when a Host header value cannot come from DNS rebinding: a loopback name, `*.localhost`,
 * an IP literal, a single-label name (a compose service) or a name listed in `allowedHosts`.
 * @example isSafeHost('socket-proxy:2375', []) === true; isSafeHost('rebind.evil.example', []) === false
 */
export function isSafeHost(value: string, allowedHosts: readonly string[]): boolean {
  const h = hostOf(value);
  if (LOOPBACK_HOSTS.has(h) || h.endsWith('.localhost') || allowedHosts.includes(h)) return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.startsWith('[')) return true;
  return /^[a-z0-9_-]+$/.test(h);
}

/**
 * Refuses what a browser would send (Origin, Sec-Fetch-*) and Host names that point to DNS
 * rebinding (see isSafeHost).
 */
export function checkTransport(headers: Headers, allowedHosts: readonly string[]): Decision | undefined {
  const refuse = (rule: string, reason: string): Decision => ({ allow: false, operation: 'transport', rule, reason, status: 403 });
  if (headers.origin !== undefined) return refuse('transport:origin', 'requests from web pages (Origin header) are refused');
  for (const k of Object.keys(headers)) {
    if (k.startsWith('sec-fetch-')) return refuse('transport:sec-fetch', 'requests from web browsers (Sec-Fetch-*) are refused');
  }
  const host = headers.host;
  if (typeof host !== 'string' || host === '' || isSafeHost(host, allowedHosts)) return undefined;
  return refuse('transport:host', `unexpected Host "${hostOf(host).slice(0, 100)}": add it to ALLOWED_HOSTS if it is yours`);
}

function mediaType(ct: string | string[] | undefined): string | undefined {
  const v = Array.isArray(ct) ? ct[0] : ct;
  return v?.split(';')[0]?.trim().toLowerCase();
}

/** The policy engine used by the proxy, the agents and the server's RBAC. */
/** Body media types Go's form parsing can merge into the query values dockerd reads; refused on every write. */
const FORM_MEDIA_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

export class PolicyEngine {
  readonly mode: 'enforce' | 'observe';
  readonly profile: Profile;
  private readonly allowedHosts: readonly string[];

  constructor(opts: EngineOptions) {
    this.mode = opts.mode;
    this.profile = opts.profile;
    this.allowedHosts = opts.allowedHosts;
  }

  /** Decides on a request head. When `needsBody` is set, call `inspectBody` with the whole body next. */
  evaluate(method: string, target: string, headers: Headers): Evaluation {
    const transport = checkTransport(headers, this.allowedHosts);
    if (transport) return { decision: transport, needsBody: false };
    const parsed = parseTarget(method, target);
    if (!parsed.ok) {
      return { decision: { allow: false, operation: 'unknown', rule: parsed.rule, reason: parsed.reason, status: parsed.status }, needsBody: false };
    }
    const request = parsed.request;
    const match = matchRoute(method, request.path);
    if (!match) {
      return {
        decision: { allow: false, operation: 'unknown', rule: 'route:unknown', reason: `${method} ${request.path} is not a Docker Engine API route`, status: 403 },
        request,
        needsBody: false,
      };
    }
    const operation = match.spec.operation;
    const verdict = this.profile.checkRoute(method, match);
    if (!verdict.allow) {
      return { decision: { allow: false, operation, rule: verdict.rule, reason: verdict.reason, status: 403 }, match, request, needsBody: false };
    }
    if (method !== 'GET' && method !== 'HEAD' && FORM_MEDIA_TYPES.has(mediaType(headers['content-type']) ?? '')) {
      return {
        decision: { allow: false, operation, rule: 'body:form-encoded', reason: 'form-encoded and multipart bodies are refused (dockerd could let them override the query)', status: 400 },
        match, request, needsBody: false,
      };
    }
    const constraints = this.profile.constraintsFor(operation);
    const decision: Decision = { allow: true, operation, rule: verdict.rule, reason: verdict.reason, status: 200 };
    if (!INSPECTED_OPERATIONS.has(operation)) return { decision, match, request, needsBody: false, constraints };
    if (STREAM_BODY_OPERATIONS.has(operation)) {
      const v = inspectRequest({ operation, query: request.query, contentType: undefined, body: undefined }, constraints);
      if (!v.allow) return { decision: { allow: false, operation, rule: v.rule, reason: v.reason, status: v.status }, match, request, needsBody: false };
      return { decision, match, request, needsBody: false, constraints };
    }
    return { decision, match, request, needsBody: true, constraints };
  }

  /** Inspects a whole JSON body of an allowed operation; on allow, forward `verdict.body`. */
  inspectBody(ev: Evaluation, contentType: string | undefined, body: Buffer): BodyVerdict {
    if (!ev.request || !ev.constraints) throw new Error('inspectBody needs an allowed evaluation');
    if (body.length > ev.constraints.maxBodyBytes) {
      return { allow: false, rule: 'body:too-large', reason: `body larger than ${ev.constraints.maxBodyBytes} bytes`, status: 413 };
    }
    return inspectRequest({ operation: ev.decision.operation, query: ev.request.query, contentType, body }, ev.constraints);
  }
}
