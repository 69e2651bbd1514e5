// /api/v1/audit (list with filters, JSON-lines export, chain verification) and /api/v1/security/stats.
import { Readable } from 'node:stream';
import { z } from 'zod';
import { MAX_AUDIT_PAGE } from '../../store/index.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { plainText } from './views.js';

const READ = { kind: 'permission', permission: 'audit.read' } as const;
const text = plainText(256);

const list = defineRoute({
  method: 'GET', url: '/api/v1/audit', summary: 'Audit records, filtered (exact actor/action/result; since inclusive, until exclusive)',
  access: READ, action: 'audit.list',
  query: z.object({
    actor: text.optional(), action: text.optional(), result: z.enum(['success', 'denied', 'error']).optional(),
    since: z.iso.datetime({ offset: true }).optional(), until: z.iso.datetime({ offset: true }).optional(), limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).optional(),
    afterSeq: z.coerce.number().int().min(0).optional(), beforeSeq: z.coerce.number().int().min(0).optional(),
    order: z.enum(['asc', 'desc']).optional(),
  }).strict(),
  handler: async ({ query, services }) => {
    const filters = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    return { records: await services.store.audit.list(filters) };
  },
});

const exportLines = defineRoute({
  method: 'GET', url: '/api/v1/audit/export', summary: 'The whole audit log, oldest first, as JSON lines (application/x-ndjson)',
  access: READ, action: 'audit.export', auditReads: true,
  handler: ({ services, reply }) => {
    void reply.type('application/x-ndjson').header('content-disposition', 'attachment; filename="portcullis-audit.jsonl"');
    return Promise.resolve(reply.send(Readable.from(services.store.audit.exportLines())));
  },
});

const verify = defineRoute({
  method: 'GET', url: '/api/v1/audit/verify', summary: 'Walk the hash chain; names the first changed, removed or reordered record',
  access: READ, action: 'audit.verify', auditReads: true,
  handler: async ({ services, audit }) => {
    const result = await services.store.audit.verify();
    audit.details = result.ok ? { ok: true, count: result.count } : { ok: false, badSeq: result.badSeq };
    return result;
  },
});

const stats = defineRoute({
  method: 'GET', url: '/api/v1/security/stats', summary: 'Rate-limit refusals, lockouts and logins since the server started',
  access: READ, action: 'security.stats',
  handler: ({ services }) => Promise.resolve({ ...services.stats, rateLimitedTotal: Object.values(services.stats.rateLimited).reduce((a, b) => a + b, 0) }),
});

/** The audit and security routes. */
export const auditRoutes: RouteSpec[] = [list, exportLines, verify, stats];
