// Compose loading: discovery, overrides, .env, extends, include, anchors, line:column and refusals.
import { describe, expect, it } from 'vitest';
import { auditYaml, memoryReader } from '../../../test/fixtures/audit/support.js';
import { auditCompose } from '../audit.js';
import { discoverComposeFiles, loadCompose } from './loader.js';
import { composeModel } from './model.js';

function model(files: Record<string, string>, env: Record<string, string> = {}, list: string[] = []) {
  const loaded = loadCompose({ files: list, cwd: '/p', env, reader: memoryReader(files) });
  const errors = [...loaded.errors];
  return { ...composeModel(loaded.root, loaded.serviceFiles, loaded.serviceDirs, errors), errors, loaded };
}

describe('discovery', () => {
  it('prefers compose.yaml and picks up its override file', () => {
    const files = { '/p/compose.yaml': 'services: {}', '/p/docker-compose.yml': 'services: {}', '/p/compose.override.yaml': 'services: {}' };
    expect(discoverComposeFiles('/p', {}, memoryReader(files))).toEqual(['/p/compose.yaml', '/p/compose.override.yaml']);
  });
  it('finds docker-compose.yml with docker-compose.override.yml', () => {
    const files = { '/p/docker-compose.yml': 'services: {}', '/p/docker-compose.override.yml': 'services: {}' };
    expect(discoverComposeFiles('/p', {}, memoryReader(files))).toEqual(['/p/docker-compose.yml', '/p/docker-compose.override.yml']);
  });
  it('honours COMPOSE_FILE', () => {
    expect(discoverComposeFiles('/p', { COMPOSE_FILE: 'a.yml:b.yml' }, memoryReader({}))).toEqual(['/p/a.yml', '/p/b.yml']);
  });
  it('reports when nothing is found', () => {
    expect(model({}).errors[0]?.message).toMatch(/no compose file found/);
  });
});

describe('merging and interpolation', () => {
  it('merges the override: ports are appended, scalars replaced, locations follow the winning file', () => {
    const m = model({
      '/p/compose.yaml': 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "127.0.0.1:5432:5432"\n',
      '/p/compose.override.yaml': 'services:\n  db:\n    image: postgres:17.0\n    ports:\n      - "5433:5432"\n',
    });
    const db = m.services[0]!;
    expect(db.image).toBe('postgres:17.0');
    expect(db.ports.map((p) => p.raw)).toEqual(['127.0.0.1:5432:5432', '5433:5432']);
    expect(db.at(['ports', 1])).toMatchObject({ file: '/p/compose.override.yaml', line: 5, column: 9 });
    expect(db.at(['ports', 0])).toMatchObject({ file: '/p/compose.yaml', line: 5, column: 9 });
  });

  it('a service merged from an override keeps the location of its first declaration', () => {
    const m = model({
      '/p/compose.yaml': 'services:\n  db:\n    image: postgres:16.4\n',
      '/p/compose.override.yaml': '# dev\nservices:\n  db:\n    privileged: true\n',
    });
    expect(m.services[0]!.declaredAt).toMatchObject({ file: '/p/compose.yaml', line: 2, column: 3 });
    expect(m.services[0]!.at(['privileged'])).toMatchObject({ file: '/p/compose.override.yaml', line: 4 });
  });

  it('interpolates from .env, with the environment winning', () => {
    const m = model({ '/p/compose.yaml': 'services:\n  db:\n    image: postgres:${PG:-15}\n    ports: ["${BIND}:5432:5432"]\n', '/p/.env': 'PG=16.4\nBIND=127.0.0.1\n' }, { BIND: '10.0.0.5' });
    expect(m.services[0]!.image).toBe('postgres:16.4');
    expect(m.services[0]!.ports[0]!.hostIp).toBe('10.0.0.5');
    expect(m.services[0]!.ports[0]!.interpolated).toBe(true);
  });

  it('turns ${VAR:?msg} failures into errors with a line', () => {
    const m = model({ '/p/compose.yaml': 'services:\n  db:\n    image: ${IMG:?set IMG}\n' });
    expect(m.errors).toEqual([expect.objectContaining({ line: 3, message: 'required variable IMG is not set: set IMG' })]);
  });

  it('applies YAML anchors and merge keys', () => {
    const m = model({ '/p/compose.yaml': 'x-base: &base\n  privileged: true\n  restart: always\nservices:\n  a:\n    <<: *base\n    image: a:1.0.0\n    restart: "no"\n' });
    expect(m.services[0]).toMatchObject({ privileged: true, restart: 'no' });
  });

  it('reads YAML 1.1-style string booleans', () => {
    expect(model({ '/p/compose.yaml': 'services:\n  a:\n    privileged: "true"\n    read_only: "yes"\n' }).services[0]).toMatchObject({ privileged: true, readOnly: true });
  });

  it('resolves extends in the same file and from another file', () => {
    const m = model({
      '/p/compose.yaml': 'services:\n  base:\n    image: app:1.0.0\n    cap_add: [SYS_ADMIN]\n  web:\n    extends: base\n    ports: ["80:80"]\n  worker:\n    extends:\n      file: common.yml\n      service: priv\n',
      '/p/common.yml': 'services:\n  priv:\n    image: w:1.0.0\n    privileged: true\n',
    });
    const web = m.services.find((s) => s.name === 'web')!;
    expect(web.capAdd).toEqual(['SYS_ADMIN']);
    expect(web.ports).toHaveLength(1);
    expect(m.services.find((s) => s.name === 'worker')).toMatchObject({ privileged: true, image: 'w:1.0.0' });
    expect(m.errors).toEqual([]);
  });

  it('reports an extends loop instead of hanging', () => {
    const m = model({ '/p/compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' });
    expect(m.errors.some((e) => /extends/.test(e.message))).toBe(true);
  });

  it('loads include files and their services', () => {
    const m = model({ '/p/compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  app:\n    image: app:1.0.0\n', '/p/db/compose.yaml': 'services:\n  db:\n    image: postgres:16.4\n    ports: ["5432:5432"]\n' });
    expect(m.services.map((s) => s.name).sort()).toEqual(['app', 'db']);
    expect(m.services.find((s) => s.name === 'db')!.at(['ports', 0])?.file).toBe('/p/db/compose.yaml');
  });

  it('normalizes list-form environment and resolves relative bind sources', () => {
    const m = model({ '/p/compose.yaml': 'services:\n  a:\n    image: a:1\n    environment:\n      - TOKEN=abc\n      - REF=${X:-y}\n    volumes:\n      - ./data:/data:ro\n      - /var/run/docker.sock:/var/run/docker.sock\n' });
    const a = m.services[0]!;
    expect(a.environment).toEqual([
      { key: 'TOKEN', value: 'abc', literal: true, path: ['environment', 'TOKEN'] },
      { key: 'REF', value: 'y', literal: false, path: ['environment', 'REF'] },
    ]);
    expect(a.mounts.map((x) => [x.type, x.source, x.readOnly])).toEqual([['bind', '/p/data', true], ['bind', '/var/run/docker.sock', false]]);
  });
});

describe('refusals (exit 2, never findings)', () => {
  it('invalid YAML is an error with line and column', () => {
    const r = auditYaml('services:\n  a:\n    image: [unclosed\n');
    expect(r.findings).toEqual([]);
    expect(r.errors[0]).toMatchObject({ file: '/project/compose.yaml' });
    expect(r.errors[0]!.line).toBeGreaterThan(0);
  });
  it('a multi-document stream is refused', () => {
    const r = auditYaml('services: {}\n---\nservices: {}\n');
    expect(r.errors[0]!.message).toMatch(/multiple documents/);
  });
  it('duplicate keys are refused', () => {
    expect(auditYaml('services:\n  a:\n    image: x\n    image: y\n').errors.length).toBeGreaterThan(0);
  });
  it('a malformed port is an error, not a finding', () => {
    const r = auditCompose({ files: [], cwd: '/p', env: {}, reader: memoryReader({ '/p/compose.yaml': 'services:\n  a:\n    image: a:1\n    ports: ["80:80/icmp"]\n' }) });
    expect(r.errors[0]).toMatchObject({ line: 4 });
  });
});
