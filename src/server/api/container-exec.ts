// WS …/containers/:id/exec: a command (default sh) in a running container, audited with its argv; only routed when PORTCULLIS_EXEC_ENABLED=true.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { RawData } from 'ws';
import { z } from 'zod';
import type { HostExec } from '../../hosts/index.js';
import { ApiError } from '../errors.js';
import { auditRequest, stateOf } from '../pipeline.js';
import type { RouteSpec } from '../route-def.js';
import { defineWsRoute, WS_CLOSE_NORMAL, type WsConnection } from '../ws/index.js';
import { containerParams, errorInfo, onHost, queryFlag, repeated, requireHost, type HostTarget } from './host-access.js';

/** Most arguments of the command, the longest one, and the largest input message's data. */
export const MAX_EXEC_ARGS = 64;
export const MAX_EXEC_ARG_LENGTH = 1024;
export const MAX_EXEC_INPUT_CHARS = 64 * 1024;

const execQuery = z.object({
  cmd: repeated(z.string().min(1).max(MAX_EXEC_ARG_LENGTH).regex(/^[^\0]*$/, 'must not contain NUL'), MAX_EXEC_ARGS),
  tty: queryFlag.optional(),
}).strict();

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.string().max(MAX_EXEC_INPUT_CHARS) }).strict(),
  z.object({ type: z.literal('resize'), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) }).strict(),
]);

interface Prepared { t: HostTarget; id: string; cmd: string[]; tty: boolean }

/** Copies one output stream to the socket as `output` messages, reading only as fast as the socket drains. */
async function forward(conn: WsConnection, stream: Readable): Promise<void> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const data = decoder.write(chunk);
    if (data !== '') await conn.sendPaced({ type: 'output', data });
  }
  const rest = decoder.end();
  if (rest !== '') await conn.sendPaced({ type: 'output', data: rest });
}

const textOf = (raw: RawData): string => (Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw)).toString('utf8');

function onClientMessage(conn: WsConnection, exec: HostExec, raw: RawData, isBinary: boolean): void {
  let parsed: z.infer<typeof clientMessage> | undefined;
  try {
    const r = clientMessage.safeParse(isBinary ? undefined : JSON.parse(textOf(raw)));
    if (r.success) parsed = r.data;
  } catch {
    // not JSON: answered below like any malformed message
  }
  if (!parsed) {
    conn.send({ type: 'error', code: 'PC_ERR_WS_MESSAGE_INVALID', message: 'send { type: "input", data } or { type: "resize", cols, rows } as JSON text' });
    return;
  }
  const op = parsed.type === 'input' ? exec.write(parsed.data) : exec.resize({ h: parsed.rows, w: parsed.cols });
  op.catch((err: unknown) => conn.send({ type: 'error', ...errorInfo(err) }));
}

/** Most client messages held while the exec starts (a client may type before it is ready). */
const MAX_EARLY_MESSAGES = 64;

async function run(conn: WsConnection, p: Prepared): Promise<void> {
  conn.requirePermission('container.exec', p.t.scope);
  // Listen at once: messages sent before the exec runs would otherwise be lost.
  const early: [RawData, boolean][] = [];
  const started: { exec?: HostExec } = {};
  conn.socket.on('message', (raw, isBinary) => {
    if (started.exec) onClientMessage(conn, started.exec, raw, isBinary);
    else if (early.length < MAX_EARLY_MESSAGES) early.push([raw, isBinary]);
  });
  let exec: HostExec;
  try {
    exec = await p.t.live.execContainer(p.id, { cmd: p.cmd, tty: p.tty, stdin: true, signal: conn.signal });
  } catch (err) {
    const e = errorInfo(err);
    await conn.audit('error', { code: e.code });
    conn.fail(e);
    return;
  }
  await conn.audit('success', { execId: exec.execId });
  started.exec = exec;
  for (const [raw, isBinary] of early.splice(0)) onClientMessage(conn, exec, raw, isBinary);
  // The socket going away ends the exec's connection; a shell sees its input close and exits.
  conn.socket.once('close', () => exec.destroy());
  await Promise.all([forward(conn, exec.stdout), forward(conn, exec.stderr)]);
  const { exitCode } = await exec.done.catch(() => ({ exitCode: null }));
  await conn.sendPaced({ type: 'exit', code: exitCode });
  conn.close(WS_CLOSE_NORMAL);
}

const exec = defineWsRoute({
  url: '/api/v1/hosts/:host/containers/:id/exec',
  summary: 'Run a command in a running container (container.exec): ?cmd=sh (repeat cmd for each argument), tty=1; client sends { type: "input", data } | { type: "resize", cols, rows }, server { type: "output", data } | { type: "exit", code }. Audited with the command.',
  action: 'container.exec', params: containerParams, query: execQuery, auditsItself: true,
  prepare: async ({ params, query, principal, services, req, audit }) => {
    const cmd = query.cmd ?? ['sh'];
    const tty = query.tty ?? true;
    audit.target = params.id;
    audit.details = { container: params.id, cmd, tty };
    try {
      const t = await requireHost({ services, req, principal, audit }, params.host, 'container.exec');
      const info = await onHost(() => t.live.inspectContainer(params.id));
      if (!info.State.Running) throw new ApiError('PC_ERR_DOCKER_CONFLICT', `container ${params.id} is not running`);
      return { t, id: params.id, cmd, tty };
    } catch (err) {
      // An exec attempt is audited however it ends, like a write (the pipeline audits only denials of a GET).
      const e = errorInfo(err);
      await auditRequest(services, req, stateOf(req)!, e.code === 'PC_ERR_AUTH_FORBIDDEN' ? 'denied' : 'error', { code: e.code });
      throw err;
    }
  },
  open: run,
});

/** The exec route (added to the map only when PORTCULLIS_EXEC_ENABLED=true). */
export const containerExecRoutes: RouteSpec[] = [exec];
