// The containers API against the real dockerd through a started server: listing across hosts with filters and per-host
// visibility, inspect with env redaction, every action changing the real state, bulk with per-target results, denials audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../src/hosts/index.js';
import {
  addUser, container, errCode, inspectField, loginAs, removeContainers, startOps, uniq, type Caller, type OpsServer,
} from '../helpers/ops-server.js';

interface ContainerJson { hostId: string; hostName: string; id: string; name: string; names: string[]; image: string; state: string; labels: Record<string, string> }
interface ListJson { containers: ContainerJson[]; hosts: { hostId: string; hostName: string; error?: { code: string; message: string } }[] }

describe('containers API', () => {
  let ops: OpsServer;
  let admin: Caller;
  let secondId: string;
  const run = uniq('pcc');
  const names: string[] = [];
  const name = (s: string): string => {
    const n = `${run}-${s}`;
    names.push(n);
    return n;
  };

  beforeAll(async () => {
    ops = await startOps();
    const { store, hosts } = ops.srv;
    // A second host (as an agent host would be) served by the same dockerd, tagged `lab`; and one that is not connected.
    const second = await store.hosts.create({ name: 'second', kind: 'agent', tags: ['lab'] });
    secondId = second.id;
    hosts.add(new LocalHost({ id: second.id, name: second.name, tags: second.tags }));
    await store.hosts.create({ name: 'ghost', kind: 'agent', tags: [] });
    await addUser(store, 'root', [{ role: 'admin', scopeType: 'all' }]);
    await addUser(store, 'labviewer', [{ role: 'viewer', scopeType: 'tag', scopeValue: 'lab' }]);
    await addUser(store, 'outsider', [{ role: 'viewer', scopeType: 'tag', scopeValue: 'elsewhere' }]);
    await addUser(store, 'viewer', [{ role: 'viewer', scopeType: 'all' }]);
    await addUser(store, 'op', [{ role: 'operator', scopeType: 'host', scopeValue: ops.localId }, { role: 'viewer', scopeType: 'tag', scopeValue: 'lab' }]);
    admin = await loginAs(ops, 'root');
  });

  afterAll(async () => {
    await removeContainers(names);
    await ops?.close();
  });

  it('lists containers on every host the caller may read, with host, state, name and label filters', async () => {
    const up = name('up');
    const idle = name('idle');
    await container(up, ['sleep', '600'], { args: ['--label', `pc.run=${run}`] });
    await container(idle, ['true'], { create: true, args: ['--label', `pc.run=${run}`] });
    const label = `label=pc.run=${run}`;
    const all = (await admin.req({ url: `/api/v1/containers?${label}` })).json<ListJson>();
    expect(all.containers.map((c) => `${c.hostName}/${c.name}/${c.state}`).sort()).toEqual(
      [`local/${idle}/created`, `local/${up}/running`, `second/${idle}/created`, `second/${up}/running`].sort(),
    );
    expect(all.hosts.map((h) => [h.hostName, h.error?.code])).toEqual(expect.arrayContaining([['local', undefined], ['second', undefined], ['ghost', 'PC_ERR_HOST_OFFLINE']]));
    const one = all.containers.find((c) => c.name === up && c.hostName === 'local')!;
    expect([one.hostId, one.image, one.labels['pc.run'], one.names]).toEqual([ops.localId, 'portcullis-test/busybox:latest', run, [up]]);
    const running = (await admin.req({ url: `/api/v1/containers?${label}&state=running&host=local` })).json<ListJson>();
    expect(running.containers.map((c) => c.name)).toEqual([up]);
    const byName = (await admin.req({ url: `/api/v1/containers?${label}&name=${idle}&tag=lab` })).json<ListJson>();
    expect(byName.containers.map((c) => `${c.hostName}/${c.name}`)).toEqual([`second/${idle}`]);
    const twoStates = (await admin.req({ url: `/api/v1/containers?${label}&state=running&state=created&host=${secondId}` })).json<ListJson>();
    expect(twoStates.containers).toHaveLength(2);
    // Per-host visibility: a viewer on tag `lab` sees only the second host; a viewer elsewhere sees nothing at all.
    const lab = (await (await loginAs(ops, 'labviewer')).req({ url: `/api/v1/containers?${label}` })).json<ListJson>();
    expect([...new Set(lab.containers.map((c) => c.hostName))]).toEqual(['second']);
    expect(lab.hosts.map((h) => h.hostName)).toEqual(['second']);
    const none = (await (await loginAs(ops, 'outsider')).req({ url: `/api/v1/containers?${label}` })).json<ListJson>();
    expect(none).toEqual({ containers: [], hosts: [] });
    const bad = await admin.req({ url: '/api/v1/containers?state=sleeping' });
    expect([bad.statusCode, errCode(bad)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/state must be one of/);
    const extra = await admin.req({ url: '/api/v1/containers?colour=red' });
    expect([extra.statusCode, errCode(extra)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
  });

  it('inspects a container with env values redacted unless the caller holds container.exec; unknown ids and hidden hosts are 404', async () => {
    const n = name('env');
    await container(n, ['sleep', '600'], { args: ['-e', 'DB_PASSWORD=hunter2-secret', '-e', 'MODE=prod'] });
    const full = await admin.req({ url: `/api/v1/hosts/local/containers/${n}` });
    expect(full.statusCode).toBe(200);
    expect(full.json<{ container: { Config: { Env: string[] } } }>().container.Config.Env).toContain('DB_PASSWORD=hunter2-secret');
    const viewer = await loginAs(ops, 'viewer');
    const red = await viewer.req({ url: `/api/v1/hosts/local/containers/${n}` });
    expect(red.statusCode).toBe(200);
    const env = red.json<{ container: { Config: { Env: string[] }; Name: string } }>().container;
    expect(env.Config.Env).toEqual(expect.arrayContaining(['DB_PASSWORD=<redacted>', 'MODE=<redacted>']));
    expect(red.body).not.toContain('hunter2');
    expect(env.Name).toBe(`/${n}`);
    const missing = await admin.req({ url: '/api/v1/hosts/local/containers/no-such-container-pc' });
    expect([missing.statusCode, errCode(missing)]).toEqual([404, 'PC_ERR_DOCKER_NOT_FOUND']);
    const outsider = await loginAs(ops, 'outsider');
    const hidden = await outsider.req({ url: `/api/v1/hosts/local/containers/${n}` });
    expect([hidden.statusCode, errCode(hidden)]).toEqual([404, 'PC_ERR_HOST_NOT_FOUND']);
    const denied = await ops.srv.store.audit.list({ action: 'container.inspect', result: 'denied', actor: 'outsider' });
    expect(denied).toHaveLength(1);
    const badId = await admin.req({ url: '/api/v1/hosts/local/containers/..%2Fetc' });
    expect([badId.statusCode, errCode(badId)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
  });

  it('changes the real container state with each action, rename and remove, and audits each write', async () => {
    const n = name('life');
    await container(n);
    const post = (action: string, payload?: object) => admin.req({ method: 'POST', url: `/api/v1/hosts/local/containers/${n}/${action}`, ...(payload ? { payload } : {}) });
    expect((await post('stop', { t: 0 })).statusCode).toBe(200);
    expect(await inspectField(n, '{{.State.Status}}')).toBe('exited');
    expect((await post('start')).statusCode).toBe(200);
    expect(await inspectField(n, '{{.State.Status}}')).toBe('running');
    expect((await post('pause')).statusCode).toBe(200);
    expect(await inspectField(n, '{{.State.Status}}')).toBe('paused');
    expect((await post('unpause')).statusCode).toBe(200);
    expect(await inspectField(n, '{{.State.Status}}')).toBe('running');
    const before = await inspectField(n, '{{.State.StartedAt}}');
    expect((await post('restart', { t: 0 })).statusCode).toBe(200);
    expect(await inspectField(n, '{{.State.StartedAt}}')).not.toBe(before);
    expect((await post('kill', { signal: 'SIGKILL' })).statusCode).toBe(200);
    expect(await inspectField(n, '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 137');
    const renamed = name('renamed');
    expect((await post('rename', { name: renamed })).statusCode).toBe(200);
    expect(await inspectField(renamed, '{{.Name}}')).toBe(`/${renamed}`);
    const busy = name('busy');
    await container(busy);
    const conflict = await admin.req({ method: 'DELETE', url: `/api/v1/hosts/local/containers/${busy}` });
    expect([conflict.statusCode, errCode(conflict)]).toEqual([409, 'PC_ERR_DOCKER_CONFLICT']);
    expect((await admin.req({ method: 'DELETE', url: `/api/v1/hosts/local/containers/${busy}?force=1` })).statusCode).toBe(200);
    expect(await inspectField(busy, '{{.Id}}')).toMatch(/^<missing/);
    for (const [body, field] of [[{ t: 601 }, 't'], [{ t: 1, signal: 'X' }, 'signal'], [{ signal: 'rm -rf' }, 'signal']] as const) {
      const res = await admin.req({ method: 'POST', url: `/api/v1/hosts/local/containers/${renamed}/${field === 't' ? 'stop' : 'kill'}`, payload: body });
      expect([res.statusCode, errCode(res)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
    }
    const audit = await ops.srv.store.audit.list({ actor: 'root' });
    const mine = audit.filter((r) => r.target === n || r.target === busy);
    expect(mine.map((r) => `${r.action}:${r.result}`)).toEqual(expect.arrayContaining([
      'container.stop:success', 'container.start:success', 'container.pause:success', 'container.unpause:success', 'container.restart:success',
      'container.kill:success', 'container.rename:success', 'container.delete:error', 'container.delete:success',
    ]));
    expect(mine.find((r) => r.action === 'container.stop')!.details).toMatchObject({ hostName: 'local', t: 0 });
  });

  it('answers a viewer 403 on stop, leaves the container running, and audits the denial', async () => {
    const n = name('guarded');
    await container(n);
    const viewer = await loginAs(ops, 'viewer');
    const res = await viewer.req({ method: 'POST', url: `/api/v1/hosts/local/containers/${n}/stop` });
    expect([res.statusCode, errCode(res)]).toEqual([403, 'PC_ERR_AUTH_FORBIDDEN']);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/container\.operate/);
    expect(await inspectField(n, '{{.State.Status}}')).toBe('running');
    const denied = await ops.srv.store.audit.list({ action: 'container.stop', result: 'denied', actor: 'viewer' });
    expect(denied.map((r) => [r.target, r.details.code])).toEqual([[n, 'PC_ERR_AUTH_FORBIDDEN']]);
    const noCsrf = await ops.srv.app.inject({ method: 'POST', url: `/api/v1/hosts/local/containers/${n}/stop`, headers: { cookie: admin.cookie } });
    expect([noCsrf.statusCode, errCode(noCsrf)]).toEqual([403, 'PC_ERR_AUTH_CSRF']);
    expect(await inspectField(n, '{{.State.Status}}')).toBe('running');
  });

  it('runs a bulk action target by target: a forbidden, a hidden and a missing target do not stop the others', async () => {
    const a = name('bulk-a');
    const b = name('bulk-b');
    await container(a);
    await container(b);
    const op = await loginAs(ops, 'op');
    const res = await op.req({
      method: 'POST', url: '/api/v1/containers/bulk',
      payload: { action: 'stop', targets: [{ host: 'local', id: a }, { host: 'second', id: b }, { host: 'ghost', id: a }, { host: 'local', id: 'no-such-pc-ctr' }, { host: ops.localId, id: b }], t: 0 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json<{ results: { host: string; id: string; ok: boolean; error?: { code: string } }[] }>().results;
    expect(results.map((r) => [r.host, r.id, r.ok, r.error?.code])).toEqual([
      ['local', a, true, undefined],
      ['second', b, false, 'PC_ERR_AUTH_FORBIDDEN'],
      ['ghost', a, false, 'PC_ERR_HOST_NOT_FOUND'],
      ['local', 'no-such-pc-ctr', false, 'PC_ERR_DOCKER_NOT_FOUND'],
      [ops.localId, b, true, undefined],
    ]);
    expect([await inspectField(a, '{{.State.Status}}'), await inspectField(b, '{{.State.Status}}')]).toEqual(['exited', 'exited']);
    const records = await ops.srv.store.audit.list({ actor: 'op', action: 'container.stop' });
    expect(records.map((r) => `${r.target}:${r.result}`).sort()).toEqual([`${a}:success`, `${b}:denied`, `${a}:denied`, `${b}:success`, 'no-such-pc-ctr:error'].sort());
    expect(await ops.srv.store.audit.list({ actor: 'op', action: 'container.bulk' })).toHaveLength(1);
    const remove = await admin.req({ method: 'POST', url: '/api/v1/containers/bulk', payload: { action: 'remove', targets: [{ host: 'local', id: a }] } });
    expect(remove.json<{ results: { ok: boolean }[] }>().results[0]!.ok).toBe(true);
    expect(await inspectField(a, '{{.Id}}')).toMatch(/^<missing/);
    const tooMany = await admin.req({ method: 'POST', url: '/api/v1/containers/bulk', payload: { action: 'stop', targets: Array.from({ length: 101 }, () => ({ host: 'local', id: b })) } });
    expect([tooMany.statusCode, errCode(tooMany)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
    const badAction = await admin.req({ method: 'POST', url: '/api/v1/containers/bulk', payload: { action: 'exec', targets: [{ host: 'local', id: b }] } });
    expect([badAction.statusCode, errCode(badAction)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
  });
});
