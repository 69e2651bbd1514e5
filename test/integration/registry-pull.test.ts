// Integration tests of image pulls through LocalHost from a real registry on 127.0.0.1 (Debian's docker-registry).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DockerError, type PullProgress } from '../../src/docker/index.js';
import { HostPolicyDenied, LocalHost, hostPolicy, type DecisionEvent } from '../../src/hosts/index.js';
import { TEST_IMAGE, docker } from '../helpers/docker-cli.js';
import { startRecordingUpstream } from '../helpers/recording-upstream.js';
import { PULL_REPOSITORY, useRegistry, type TestRegistry } from '../helpers/registry.js';

const SOCKET = { socketPath: '/var/run/docker.sock' };
let registry: TestRegistry;
let host: LocalHost;

/** Whether dockerd holds `ref`, asked through the CLI rather than the code under test. */
async function dockerHas(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref])).code === 0;
}

/** Removes the registry's image refs from dockerd (untag only: the test image they share stays). */
async function dropPulled(): Promise<void> {
  for (const ref of [registry.image, `${registry.repository}:no-such-tag`]) {
    if (await dockerHas(ref)) {
      const r = await docker(['image', 'rm', ref]);
      if (r.code !== 0) throw new Error(`could not remove ${ref}: ${r.stderr}`);
    }
  }
}

/** Whether the registry logs a request matching `re` after its first `seen` ones (it writes the line just after answering). */
async function registryLogged(seen: number, re: RegExp): Promise<boolean> {
  const deadline = Date.now() + 2000;
  for (;;) {
    if (registry.requests().slice(seen).some((l) => re.test(l))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  registry = await useRegistry();
  host = new LocalHost({ id: 'local', name: 'local', docker: SOCKET });
});

afterEach(dropPulled);

afterAll(async () => {
  await host.close();
  await registry.stop();
});

describe('pulling from a registry on 127.0.0.1 through LocalHost', () => {
  it('pulls the pushed image, reporting progress, and dockerd then holds it', async () => {
    expect(await dockerHas(registry.image)).toBe(false);
    const registrySeen = registry.requests().length;
    const progress: PullProgress[] = [];
    await host.pullImage(registry.repository, registry.tag, { onProgress: (p) => progress.push(p), signal: AbortSignal.timeout(30_000) });

    const statuses = progress.map((p) => p.status ?? '');
    expect(statuses[0]).toBe(`Pulling from ${PULL_REPOSITORY}`);
    const digest = /^Digest: (sha256:[0-9a-f]{64})$/.exec(statuses.find((s) => s.startsWith('Digest: ')) ?? '')?.[1];
    expect(digest).toBeDefined();
    expect(statuses.at(-1)).toBe(`Status: Downloaded newer image for ${registry.image}`);

    const image = await host.inspectImage(registry.image);
    expect(image.RepoTags).toContain(registry.image);
    expect(image.RepoDigests).toContain(`${registry.repository}@${digest ?? ''}`);
    // the same image that was pushed: its id (the config digest) survives the round trip
    const pushed = await docker(['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE]);
    expect(image.Id).toBe(pushed.stdout.trim());
    // dockerd resolved the tag at our registry during this pull (HEAD only: it already holds every blob of the test image)
    const manifest = new RegExp(`"(HEAD|GET) /v2/${PULL_REPOSITORY}/manifests/${registry.tag} HTTP/1\\.1" 200 `);
    expect(await registryLogged(registrySeen, manifest)).toBe(true);
  });

  it('fails a pull of a missing tag with a DockerError naming the tag, and adds no image', async () => {
    const err = await host.pullImage(registry.repository, 'no-such-tag', { signal: AbortSignal.timeout(30_000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    const e = err as DockerError;
    expect(e.operation).toBe('image.create');
    expect(e.statusCode).toBe(404);
    expect(e.message).toContain(`${registry.repository}:no-such-tag not found`);
    expect(e.message).toMatch(/manifest unknown/);
    expect(await dockerHas(`${registry.repository}:no-such-tag`)).toBe(false);
  });

  it('refuses the pull under a read-only policy before dockerd or the registry hear of it', async () => {
    const upstream = await startRecordingUpstream();
    const decisions: DecisionEvent[] = [];
    const readOnly = new LocalHost({
      id: 'ro', name: 'ro', docker: { socketPath: upstream.socketPath }, policy: hostPolicy({ profile: 'read-only' }), onDecision: (d) => decisions.push(d),
    });
    try {
      const registrySeen = registry.requests().length;
      const mark = upstream.mark();
      const progress: PullProgress[] = [];
      const err = await readOnly.pullImage(registry.repository, registry.tag, { onProgress: (p) => progress.push(p) }).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(HostPolicyDenied);
      expect((err as HostPolicyDenied).code).toBe('PC_ERR_HOST_POLICY_DENIED');
      expect((err as HostPolicyDenied).decision).toMatchObject({ allow: false, operation: 'image.create' });
      expect(decisions).toHaveLength(1);
      expect(decisions[0]).toMatchObject({ hostId: 'ro', method: 'POST', decision: { allow: false, operation: 'image.create' } });
      expect(progress).toEqual([]);
      expect(await upstream.settle(mark, 300)).toEqual([]);
      expect(registry.requests()).toHaveLength(registrySeen);
      expect(await dockerHas(registry.image)).toBe(false);
    } finally {
      await readOnly.close();
      await upstream.close();
    }
  });
});
