// The exec terminal against the real dockerd: absent unless PORTCULLIS_EXEC_ENABLED=true; when on, a command's output and
// exit code come back, a TTY shell takes input, only container.exec holders get in, and every attempt is audited with the
// command (never the container's environment).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser, container, errCode, loginAs, openWs, refusedUpgrade, removeContainers, startOps, uniq, type Caller, type OpsServer,
} from '../helpers/ops-server.js';

const run = uniq('pcx');
const target = `${run}-shell`;
const stopped = `${run}-stopped`;

beforeAll(async () => {
  await container(target, ['sleep', '600'], { args: ['-e', 'API_KEY=sk-live-hunter2'] });
  await container(stopped, ['true'], { create: true });
});
afterAll(async () => {
  await removeContainers([target, stopped]);
});

const q = (args: string[], tty: boolean): string => `${args.map((a) => `cmd=${encodeURIComponent(a)}`).join('&')}&tty=${tty ? 1 : 0}`;

describe('exec terminal, disabled (the default)', () => {
  let ops: OpsServer;
  let admin: Caller;
  beforeAll(async () => {
    ops = await startOps();
    await addUser(ops.srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
    admin = await loginAs(ops, 'root');
  });
  afterAll(async () => ops?.close());

  it('has no route at all: the upgrade and a plain GET are 404 even for an admin', async () => {
    const url = `${ops.wsBase}/api/v1/hosts/local/containers/${target}/exec?cmd=id`;
    expect(await refusedUpgrade(url, { cookie: admin.cookie, origin: ops.origin })).toEqual({ status: 404, code: 'PC_ERR_ROUTE_NOT_FOUND' });
    const plain = await admin.req({ url: `/api/v1/hosts/local/containers/${target}/exec` });
    expect([plain.statusCode, errCode(plain)]).toEqual([404, 'PC_ERR_ROUTE_NOT_FOUND']);
    expect(await ops.srv.store.audit.list({ action: 'container.exec' })).toEqual([]);
  });
});

describe('exec terminal, enabled', () => {
  let ops: OpsServer;
  let admin: Caller;
  const wsUrl = (id: string, query: string): string => `${ops.wsBase}/api/v1/hosts/local/containers/${id}/exec?${query}`;

  beforeAll(async () => {
    ops = await startOps({ PORTCULLIS_EXEC_ENABLED: 'true' });
    await addUser(ops.srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
    await addUser(ops.srv.store, 'op', [{ role: 'operator', scopeType: 'all' }]);
    admin = await loginAs(ops, 'root');
  });
  afterAll(async () => ops?.close());

  it('runs a command and returns its output and exit code, audited with user, host, container and command', async () => {
    const c = await openWs(wsUrl(target, q(['sh', '-c', 'echo out-$((6*7)); echo err-line >&2; exit 3'], false)), { cookie: admin.cookie, origin: ops.origin });
    const exit = await c.next((m) => m.type === 'exit');
    expect(exit).toEqual({ type: 'exit', code: 3 });
    const output = c.messages.filter((m) => m.type === 'output').map((m) => String(m.data)).join('');
    expect(output).toContain('out-42\n');
    expect(output).toContain('err-line\n');
    expect((await c.closed).code).toBe(1000);
    const records = await ops.srv.store.audit.list({ action: 'container.exec' });
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect([r.actor, r.result, r.target]).toEqual(['root', 'success', target]);
    expect(r.details).toMatchObject({ hostName: 'local', hostId: ops.localId, container: target, cmd: ['sh', '-c', 'echo out-$((6*7)); echo err-line >&2; exit 3'], tty: false });
    expect(r.details.execId).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(records)).not.toContain('hunter2');
  });

  it('drives an interactive TTY shell: input is typed, output comes back, resize is accepted, exit ends the socket', async () => {
    const c = await openWs(wsUrl(target, 'cmd=sh&tty=1'), { cookie: admin.cookie, origin: ops.origin });
    c.ws.send(JSON.stringify({ type: 'resize', cols: 100, rows: 30 }));
    c.ws.send(JSON.stringify({ type: 'input', data: 'stty size; echo sum=$((2+3))\n' }));
    await c.next(() => c.messages.filter((m) => m.type === 'output').map((m) => String(m.data)).join('').includes('sum=5'));
    const text = c.messages.filter((m) => m.type === 'output').map((m) => String(m.data)).join('');
    expect(text).toContain('30 100');
    c.ws.send('not json');
    await c.next((m) => m.type === 'error' && m.code === 'PC_ERR_WS_MESSAGE_INVALID');
    c.ws.send(JSON.stringify({ type: 'input', data: 'exit 7\n' }));
    expect(await c.next((m) => m.type === 'exit')).toEqual({ type: 'exit', code: 7 });
    await c.closed;
  });

  it('refuses a caller without container.exec (403, audited), a stopped container (409), and a foreign origin (403)', async () => {
    const op = await loginAs(ops, 'op');
    expect(await refusedUpgrade(wsUrl(target, 'cmd=id'), { cookie: op.cookie, origin: ops.origin })).toEqual({ status: 403, code: 'PC_ERR_AUTH_FORBIDDEN' });
    expect(await refusedUpgrade(wsUrl(stopped, 'cmd=id'), { cookie: admin.cookie, origin: ops.origin })).toEqual({ status: 409, code: 'PC_ERR_DOCKER_CONFLICT' });
    expect(await refusedUpgrade(wsUrl(target, 'cmd=id'), { cookie: admin.cookie, origin: 'http://evil.example' })).toEqual({ status: 403, code: 'PC_ERR_WS_ORIGIN' });
    expect(await refusedUpgrade(wsUrl(target, `cmd=${'x'.repeat(1025)}`), { cookie: admin.cookie, origin: ops.origin })).toMatchObject({ status: 400, code: 'PC_ERR_REQUEST_INVALID' });
    const records = await ops.srv.store.audit.list({ action: 'container.exec' });
    const summary = records.map((r) => `${r.actor}:${r.result}:${r.target}:${(r.details.code as string | undefined) ?? ''}`);
    expect(summary).toEqual(expect.arrayContaining([
      `op:denied:${target}:PC_ERR_AUTH_FORBIDDEN`, `root:error:${stopped}:PC_ERR_DOCKER_CONFLICT`, `root:denied:${target}:PC_ERR_WS_ORIGIN`,
    ]));
    expect(records.find((r) => r.actor === 'op')!.details.cmd).toEqual(['id']);
  });
});
