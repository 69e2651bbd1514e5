// Generates the OpenAPI 3.1 document of the route map from the same zod schemas the routes validate with.
import { z } from 'zod';
import { ERRORS } from './errors.js';
import type { RouteSpec } from './route-def.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: s,
  }));
}

function describeAccess(spec: RouteSpec): string {
  const a = spec.access;
  if (a.kind === 'public') return 'No authentication.';
  if (a.kind === 'user') return `Any authenticated caller${a.session ? ' with a browser session (not an API token)' : ''}.`;
  return `Needs permission \`${a.permission}\` on all hosts${a.tokenOnly ? ' (API token only)' : ''}.`;
}

const errorSchema = {
  type: 'object', required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { enum: Object.keys(ERRORS) }, message: { type: 'string' } } } },
};

/** The OpenAPI document for `routes` served under `basePath`. */
export function openApiDocument(routes: readonly RouteSpec[], basePath: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const spec of routes) {
    const path = `${basePath}${spec.url}`.replace(/:([A-Za-z]+)/g, '{$1}');
    const op: Json = {
      operationId: spec.action, summary: spec.summary, description: describeAccess(spec), 'x-audit-action': spec.action,
      ...(spec.access.kind === 'permission' ? { 'x-permission': spec.access.permission } : {}),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      security: spec.access.kind === 'public' ? [] : spec.access.kind === 'permission' && spec.access.tokenOnly ? [{ bearer: [] }] : [{ session: [] }, { bearer: [] }],
      responses: {
        [String(spec.status ?? 200)]: {
          description: 'Success',
          ...(spec.response ? { content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } } : {}),
        },
        default: { description: 'Error (see docs/errors.md)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (spec.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } };
    (paths[path] ??= {})[spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Portcullis control plane API', version: '1' },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'pc_session', description: 'Writes also need the X-CSRF-Token header.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token pct_…' },
      },
    },
  };
}
