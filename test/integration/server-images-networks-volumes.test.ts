// Images, networks, volumes and events of a host against the real dockerd: list/inspect/remove/prune images, pull from a
// local registry (NDJSON progress) and a refused pull, create/remove networks, list/remove/prune volumes, a finite events read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, TEST_IMAGE, TEST_LABEL } from '../helpers/docker-cli.js';
import { addUser, container, errCode, loginAs, removeContainers, startOps, uniq, type Caller, type OpsServer } from '../helpers/ops-server.js';
import { useRegistry } from '../helpers/registry.js';

describe('images, networks, volumes and events API', () => {
  let ops: OpsServer;
  let admin: Caller;
  let viewer: Caller;
  const run = uniq('pci');
  const cleanup: string[][] = [];

  beforeAll(async () => {
    ops = await startOps();
    await addUser(ops.srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
    await addUser(ops.srv.store, 'viewer', [{ role: 'viewer', scopeType: 'all' }]);
    await addUser(ops.srv.store, 'nobody', []);
    admin = await loginAs(ops, 'root');
    viewer = await loginAs(ops, 'viewer');
  });

  afterAll(async () => {
    for (const args of cleanup.reverse()) await docker(args);
    await ops?.close();
  });

  it('lists and inspects images (a name with a slash %2F-encoded), removes a tag, and refuses a viewer the removal', async () => {
    const list = await viewer.req({ url: '/api/v1/hosts/local/images' });
    expect(list.statusCode).toBe(200);
    const images = list.json<{ images: { Id: string; RepoTags: string[] | null }[] }>().images;
    const test = images.find((i) => i.RepoTags?.includes(TEST_IMAGE));
    expect(test).toBeDefined();
    const one = await viewer.req({ url: `/api/v1/hosts/local/images/${encodeURIComponent(TEST_IMAGE)}` });
    expect([one.statusCode, one.json<{ image: { Id: string } }>().image.Id]).toEqual([200, test!.Id]);
    const byId = await viewer.req({ url: `/api/v1/hosts/local/images/${test!.Id}` });
    expect(byId.statusCode).toBe(200);
    const tag = `portcullis-test/rm-me:${run}`;
    cleanup.push(['image', 'rm', tag]);
    expect((await docker(['tag', TEST_IMAGE, tag])).code).toBe(0);
    const denied = await viewer.req({ method: 'DELETE', url: `/api/v1/hosts/local/images/${encodeURIComponent(tag)}` });
    expect([denied.statusCode, errCode(denied)]).toEqual([403, 'PC_ERR_AUTH_FORBIDDEN']);
    expect((await docker(['image', 'inspect', tag])).code).toBe(0);
    const del = await admin.req({ method: 'DELETE', url: `/api/v1/hosts/local/images/${encodeURIComponent(tag)}` });
    expect(del.statusCode, del.body).toBe(200);
    expect(del.json<{ deleted: Record<string, string>[] }>().deleted).toEqual([{ Untagged: tag }]);
    expect((await docker(['image', 'inspect', tag])).code).not.toBe(0);
    const missing = await admin.req({ url: '/api/v1/hosts/local/images/portcullis-test%2Fno-such-image:0' });
    expect([missing.statusCode, errCode(missing)]).toEqual([404, 'PC_ERR_DOCKER_NOT_FOUND']);
    const audit = await ops.srv.store.audit.list({ action: 'image.delete' });
    expect(audit.map((r) => `${r.actor}:${r.result}:${r.target}`).sort()).toEqual([`root:success:${tag}`, `viewer:denied:${tag}`]);
  });

  it('prunes only the dangling images carrying the given label', async () => {
    const ctr = `${run}-commit`;
    await container(ctr, ['true'], { create: true });
    cleanup.push(['rm', '-f', ctr]);
    const committed = await docker(['commit', '--change', `LABEL pc.run=${run}`, '--change', `LABEL ${TEST_LABEL}`, ctr]);
    expect(committed.code, committed.stderr).toBe(0);
    const id = committed.stdout.trim();
    cleanup.push(['image', 'rm', '-f', id]);
    await removeContainers([ctr]);
    const res = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/images/prune', payload: { labels: [`pc.run=${run}`] } });
    expect(res.statusCode, res.body).toBe(200);
    const deleted = res.json<{ ImagesDeleted: { Deleted?: string }[] | null }>().ImagesDeleted ?? [];
    expect(deleted.map((d) => d.Deleted)).toContain(id);
    expect((await docker(['image', 'inspect', id])).code).not.toBe(0);
    expect((await docker(['image', 'inspect', TEST_IMAGE])).code).toBe(0);
  });

  it('pulls an image from a local registry, streaming NDJSON progress that ends with done', async () => {
    const reg = await useRegistry();
    cleanup.push(['image', 'rm', reg.image]);
    const res = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/images/pull', payload: { image: reg.repository, tag: reg.tag } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ done: true });
    expect(lines.some((l) => typeof l.status === 'string' && /Pulling from|Download complete|Pull complete/.test(l.status))).toBe(true);
    expect((await docker(['image', 'inspect', reg.image])).code).toBe(0);
    const audit = await ops.srv.store.audit.list({ action: 'image.pull', result: 'success' });
    expect(audit.map((r) => r.target)).toContain(reg.image);
    const denied = await viewer.req({ method: 'POST', url: '/api/v1/hosts/local/images/pull', payload: { image: reg.repository, tag: reg.tag } });
    expect([denied.statusCode, errCode(denied)]).toEqual([403, 'PC_ERR_AUTH_FORBIDDEN']);
  });

  it('answers a pull from an unreachable registry with a clear error, audited as a failure', async () => {
    const res = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/images/pull', payload: { image: '127.0.0.1:1/portcullis-test/nope', tag: 'x' } });
    // dockerd refuses before any progress, so the answer keeps its HTTP status instead of an NDJSON error line.
    expect([res.statusCode, errCode(res)]).toEqual([502, 'PC_ERR_DOCKER_ERROR']);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/127\.0\.0\.1:1.*connection refused/);
    const audit = await ops.srv.store.audit.list({ action: 'image.pull', result: 'error' });
    expect(audit.map((r) => r.target)).toContain('127.0.0.1:1/portcullis-test/nope:x');
    const bad = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/images/pull', payload: { image: 'a b' } });
    expect([bad.statusCode, errCode(bad)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
  });

  it('creates, inspects, lists and removes a network; a duplicate name is 409 and an unsupported driver 400', async () => {
    const net = `${run}-net`;
    cleanup.push(['network', 'rm', net]);
    const created = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/networks', payload: { name: net, internal: true, labels: { 'portcullis.test': '1' } } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect((await docker(['network', 'inspect', '-f', '{{.Driver}} {{.Internal}} {{index .Labels "portcullis.test"}}', net])).stdout.trim()).toBe('bridge true 1');
    const listed = (await viewer.req({ url: '/api/v1/hosts/local/networks' })).json<{ networks: { Id: string }[] }>().networks;
    expect(listed.map((n) => n.Id)).toContain(id);
    const one = await viewer.req({ url: `/api/v1/hosts/local/networks/${net}` });
    expect(one.json<{ network: { Id: string } }>().network.Id).toBe(id);
    const dup = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/networks', payload: { name: net } });
    expect([dup.statusCode, errCode(dup)]).toEqual([409, 'PC_ERR_DOCKER_CONFLICT']);
    const hostDriver = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/networks', payload: { name: `${net}-h`, driver: 'host' } });
    expect([hostDriver.statusCode, errCode(hostDriver)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
    const denied = await viewer.req({ method: 'DELETE', url: `/api/v1/hosts/local/networks/${net}` });
    expect([denied.statusCode, errCode(denied)]).toEqual([403, 'PC_ERR_AUTH_FORBIDDEN']);
    expect((await admin.req({ method: 'DELETE', url: `/api/v1/hosts/local/networks/${id}` })).statusCode).toBe(200);
    expect((await docker(['network', 'inspect', net])).code).not.toBe(0);
    const gone = await admin.req({ url: `/api/v1/hosts/local/networks/${net}` });
    expect([gone.statusCode, errCode(gone)]).toEqual([404, 'PC_ERR_DOCKER_NOT_FOUND']);
  });

  it('lists, inspects and removes volumes, and prunes only the unused ones carrying the given label', async () => {
    const [keep, drop, pruned] = [`${run}-keep`, `${run}-drop`, `${run}-pruned`];
    for (const v of [keep, drop, pruned]) {
      cleanup.push(['volume', 'rm', '-f', v]);
      expect((await docker(['volume', 'create', '--label', TEST_LABEL, '--label', `pc.run=${v === keep ? 'other' : run}`, v])).code).toBe(0);
    }
    const user = `${run}-user`;
    await container(user, ['true'], { create: true, args: ['-v', `${drop}:/data`] });
    cleanup.push(['rm', '-f', user]);
    const list = (await viewer.req({ url: '/api/v1/hosts/local/volumes' })).json<{ volumes: { Name: string }[] }>().volumes;
    expect(list.map((v) => v.Name)).toEqual(expect.arrayContaining([keep, drop, pruned]));
    const one = await viewer.req({ url: `/api/v1/hosts/local/volumes/${keep}` });
    expect(one.json<{ volume: { Labels: Record<string, string> } }>().volume.Labels['pc.run']).toBe('other');
    const inUse = await admin.req({ method: 'DELETE', url: `/api/v1/hosts/local/volumes/${drop}` });
    expect([inUse.statusCode, errCode(inUse)]).toEqual([409, 'PC_ERR_DOCKER_CONFLICT']);
    const prune = await admin.req({ method: 'POST', url: '/api/v1/hosts/local/volumes/prune', payload: { labels: [`pc.run=${run}`] } });
    expect(prune.statusCode, prune.body).toBe(200);
    expect(prune.json<{ VolumesDeleted: string[] }>().VolumesDeleted).toEqual([pruned]);
    await removeContainers([user]);
    expect((await admin.req({ method: 'DELETE', url: `/api/v1/hosts/local/volumes/${drop}` })).statusCode).toBe(200);
    const names = (await docker(['volume', 'ls', '-q'])).stdout.split('\n');
    expect([names.includes(keep), names.includes(drop), names.includes(pruned)]).toEqual([true, false, false]);
    const denied = await viewer.req({ method: 'POST', url: '/api/v1/hosts/local/volumes/prune' });
    expect([denied.statusCode, errCode(denied)]).toEqual([403, 'PC_ERR_AUTH_FORBIDDEN']);
  });

  it('reads the events of a window and ends (until defaults to now); a caller without grants gets 404', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const ctr = `${run}-evt`;
    await container(ctr, ['true'], { create: true });
    cleanup.push(['rm', '-f', ctr]);
    const started = Date.now();
    const res = await viewer.req({ url: `/api/v1/hosts/local/events?since=${since}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    const { events, truncated } = res.json<{ events: { Type: string; Action: string; Actor: { Attributes: Record<string, string> } }[]; truncated: boolean }>();
    expect(truncated).toBe(false);
    expect(events.some((e) => e.Type === 'container' && e.Action === 'create' && e.Actor.Attributes.name === ctr)).toBe(true);
    const future = await viewer.req({ url: `/api/v1/hosts/local/events?since=${since}&until=${Math.floor(Date.now() / 1000) + 3600}` });
    expect(future.statusCode).toBe(200);
    const reversed = await viewer.req({ url: `/api/v1/hosts/local/events?since=${since + 10}&until=${since}` });
    expect([reversed.statusCode, errCode(reversed)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
    const nobody = await loginAs(ops, 'nobody');
    const hidden = await nobody.req({ url: '/api/v1/hosts/local/events' });
    expect([hidden.statusCode, errCode(hidden)]).toEqual([404, 'PC_ERR_HOST_NOT_FOUND']);
  });
});
