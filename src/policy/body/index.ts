// Public face of request-content inspection: per-operation body and query rules.
import { isObject, parseGoJson, serializeJson, type JsonObject, type KeySchema } from '../json/index.js';
import type { BodyConstraints, BodyVerdict } from '../types.js';
import { checkContainerCreate, checkContainerUpdate, checkExecCreate, CONTAINER_CREATE_SCHEMA, CONTAINER_UPDATE_SCHEMA, EXEC_CREATE_SCHEMA } from './container.js';
import { checkBuildQuery, checkImageCreateQuery } from './query.js';
import { BodyShapeError, violation, type Violation } from './read.js';
import { checkNetworkCreate, checkVolumeCreate } from './resources.js';
import { checkServiceSpec } from './service.js';

export { normaliseHostPath, isUnder, exposesDockerSocket } from './paths.js';
export { normaliseCapability, isConfinedSecurityOpt } from './security.js';
export { CONFIG_FIELDS, CONTAINER_CREATE_SCHEMA } from './container.js';
export { HOST_CONFIG_FIELDS } from './host-config.js';

/** What one inspected operation needs. */
interface OperationRules {
  /** Refuses the whole operation unless a constraint allows it. */
  gate?: (c: BodyConstraints) => Violation | undefined;
  query?: (q: URLSearchParams, c: BodyConstraints) => Violation | undefined;
  /** The body is JSON (else a tar/raw stream that is never read). */
  json: boolean;
  /** Checks a JSON object body; when set, any other JSON value is refused. */
  check?: (root: JsonObject, c: BodyConstraints) => Violation | undefined;
  schema?: KeySchema;
}

const privileged = (what: string) => (c: BodyConstraints): Violation | undefined =>
  c.allowPrivileged ? undefined : violation('body:privileged', `${what} (allowPrivileged is off)`);
const PLUGIN = privileged('installing or configuring a plugin grants it root on this host');
// Initialising or joining a swarm (or changing its settings) hands this host's Docker to the
// cluster's managers: they can schedule privileged tasks with host mounts here.
const SWARM = privileged('swarm init/join/update hands this host to the cluster managers');
const none = (): undefined => undefined;

const RULES: ReadonlyMap<string, OperationRules> = new Map<string, OperationRules>([
  ['container.create', { json: true, check: checkContainerCreate, schema: CONTAINER_CREATE_SCHEMA }],
  ['container.update', { json: true, check: checkContainerUpdate, schema: CONTAINER_UPDATE_SCHEMA }],
  ['container.exec.create', { json: true, check: checkExecCreate, schema: EXEC_CREATE_SCHEMA }],
  ['exec.start', { json: true, check: none }],
  ['image.build', { json: false, query: checkBuildQuery }],
  ['image.create', { json: false, query: checkImageCreateQuery }],
  ['plugin.pull', { json: true, gate: PLUGIN }],
  ['plugin.upgrade', { json: true, gate: PLUGIN }],
  ['plugin.set', { json: true, gate: PLUGIN }],
  ['plugin.create', { json: false, gate: PLUGIN }],
  ['swarm.init', { json: true, gate: SWARM, check: none }],
  ['swarm.join', { json: true, gate: SWARM, check: none }],
  ['swarm.update', { json: true, gate: SWARM, check: none }],
  ['service.create', { json: true, check: checkServiceSpec }],
  ['service.update', { json: true, check: checkServiceSpec }],
  ['volume.create', { json: true, check: checkVolumeCreate }],
  ['network.create', { json: true, check: checkNetworkCreate }],
]);

/** Operations whose request content is inspected by {@link inspectRequest}. */
export const INSPECTED_OPERATIONS: ReadonlySet<string> = new Set(RULES.keys());

/** Input of {@link inspectRequest}; `body` undefined means the body is a stream that is not read. */
export interface InspectInput {
  operation: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer | undefined;
}

const deny = (v: Violation): BodyVerdict => ({ allow: false, rule: v.rule, reason: v.reason, status: v.status ?? 403 });
const badRequest = (rule: string, reason: string): BodyVerdict => ({ allow: false, rule, reason, status: 400 });

/** The media type of a Content-Type value, lower-cased without parameters (`Application/JSON; charset=utf-8` → `application/json`). */
export function mediaType(contentType: string | undefined): string | undefined {
  const t = contentType?.split(';')[0]?.trim().toLowerCase();
  return t === '' ? undefined : t;
}

/** A 413 verdict when a body of `length` bytes exceeds `c.maxBodyBytes`, else undefined. */
export function tooLarge(length: number, c: BodyConstraints): BodyVerdict | undefined {
  if (length <= c.maxBodyBytes) return undefined;
  return { allow: false, rule: 'body:too-large', reason: `request body larger than ${c.maxBodyBytes} bytes`, status: 413 };
}

function inspectJson(rules: OperationRules, contentType: string | undefined, body: Buffer, c: BodyConstraints): BodyVerdict {
  if (body.length === 0) return { allow: true, body };
  if (mediaType(contentType) !== 'application/json') {
    return badRequest('body:content-type', `a JSON body needs Content-Type application/json (got ${JSON.stringify((contentType ?? 'none').slice(0, 60))})`);
  }
  const parsed = parseGoJson(body);
  if (!parsed.ok) return badRequest(parsed.error === 'duplicate-key' ? 'json:duplicate-key' : 'json:invalid', parsed.reason);
  const root = parsed.value;
  if (rules.check) {
    if (!isObject(root)) return badRequest('json:invalid', 'the body must be a JSON object');
    try {
      const v = rules.check(root, c);
      if (v) return deny(v);
    } catch (err) {
      if (err instanceof BodyShapeError) return badRequest('json:invalid', err.message);
      throw err;
    }
  }
  const opts = rules.schema ? { schema: rules.schema } : {};
  return { allow: true, body: Buffer.from(serializeJson(root, opts), 'utf8') };
}

/**
 * Inspects the query and body of one request whose route the profile already allowed. On allow,
 * `body` is what to forward: the canonical re-serialisation of the checked JSON (or the empty
 * body as given; for stream bodies the input itself, or an empty Buffer when not read).
 * Callers cap the size first with {@link tooLarge}.
 * @example inspectRequest({ operation: 'container.create', query, contentType, body }, constraints)
 */
export function inspectRequest(input: InspectInput, c: BodyConstraints): BodyVerdict {
  const rules = RULES.get(input.operation);
  if (!rules) return { allow: true, body: input.body ?? Buffer.alloc(0) };
  const gate = rules.gate?.(c) ?? rules.query?.(input.query, c);
  if (gate) return deny(gate);
  const media = mediaType(input.contentType);
  if (media === 'application/x-www-form-urlencoded' || media === 'multipart/form-data') {
    return badRequest('body:content-type', 'form-encoded and multipart bodies are refused (dockerd could let them override the query)');
  }
  if (!rules.json) return { allow: true, body: input.body ?? Buffer.alloc(0) };
  if (input.body === undefined) {
    // A caller bug, not a client error: never let an uninspected JSON body through.
    return { allow: false, rule: 'body:unread', reason: `the ${input.operation} body must be read and inspected`, status: 500 };
  }
  return inspectJson(rules, input.contentType, input.body, c);
}
