// Unit tests of `portcullis admin`: settings resolution, scope parsing, exit codes for bad usage, messages without secrets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdminError } from './admin-context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, resolveStoreSettings, runAdminCli } from './admin.js';
import { memoryIo } from './admin-test-support.js';
import { parseScope } from './admin-users.js';

const empty = mkdtempSync(join(tmpdir(), 'portcullis-admin-unit-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('resolveStoreSettings', () => {
  it('defaults to ./data and sqlite:<data>/portcullis.db under the working directory', () => {
    expect(resolveStoreSettings({}, {}, '/srv/app')).toEqual({ data: '/srv/app/data', database: 'sqlite:/srv/app/data/portcullis.db' });
  });

  it('takes PORTCULLIS_DATA and PORTCULLIS_DATABASE from the environment', () => {
    expect(resolveStoreSettings({}, { PORTCULLIS_DATA: '/var/lib/pc' }, '/x')).toEqual({ data: '/var/lib/pc', database: 'sqlite:/var/lib/pc/portcullis.db' });
    expect(resolveStoreSettings({}, { PORTCULLIS_DATABASE: 'postgres://db/pc' }, '/x').database).toBe('postgres://db/pc');
  });

  it('lets flags win over the environment and ignores empty variables', () => {
    const env = { PORTCULLIS_DATA: '/env', PORTCULLIS_DATABASE: '' };
    expect(resolveStoreSettings({ data: 'rel' }, env, '/cwd')).toEqual({ data: '/cwd/rel', database: 'sqlite:/cwd/rel/portcullis.db' });
    expect(resolveStoreSettings({ database: 'sqlite:/a.db' }, { PORTCULLIS_DATABASE: 'sqlite:/b.db' }, '/').database).toBe('sqlite:/a.db');
  });
});

describe('parseScope', () => {
  it('accepts all, host:<ref> and tag:<tag>', () => {
    expect(parseScope('all')).toEqual({ type: 'all' });
    expect(parseScope('host:local')).toEqual({ type: 'host', ref: 'local' });
    expect(parseScope('tag:prod-eu')).toEqual({ type: 'tag', tag: 'prod-eu' });
  });

  it.each(['', 'everything', 'host:', 'tag:', 'tag:a b', 'host:a b', 'node:x', ':all'])('refuses %j as bad usage', (text) => {
    let err: unknown;
    try {
      parseScope(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdminError);
    expect((err as AdminError).exitCode).toBe(EXIT_USAGE);
  });
});

describe('runAdminCli exit codes', () => {
  it('answers --help with 0', async () => {
    const io = memoryIo();
    expect(await runAdminCli(['--help'], io)).toBe(EXIT_OK);
    expect(io.out.join('')).toMatch(/reset-password/);
  });

  it.each([
    [['reset-password'], /missing required argument/],
    [['reset-password', 'bob', '--bogus'], /unknown option/],
    [['frobnicate'], /unknown command/],
    [['tokens'], /Usage/],
    [['backup'], /--output/],
    [['create-user', 'has space', '--data', empty], /username/],
    [['create-user', 'dave', '--scope', 'all', '--data', empty], /--scope needs --role/],
    [['list-users', '--database', 'mysql://u:hunter2hunter2@db/x'], /unsupported database URL/],
  ])('exits 2 for %j', async (argv, message) => {
    const io = memoryIo();
    expect(await runAdminCli(argv, io)).toBe(EXIT_USAGE);
    expect(io.all()).toMatch(message);
    expect(io.all()).not.toContain('hunter2');
  });

  it('sends PostgreSQL backups to pg_dump with exit 2 and never prints the database URL', async () => {
    const io = memoryIo({ env: { PORTCULLIS_DATABASE: 'postgres://admin:s3cr3t-pw@127.0.0.1:1/pc' } });
    expect(await runAdminCli(['backup', '--output', join(empty, 'x.db')], io)).toBe(EXIT_USAGE);
    expect(io.err.join('')).toMatch(/pg_dump/);
    expect(io.all()).not.toContain('s3cr3t-pw');
  });

  it('exits 1 when the data dir holds no database, and creates none', async () => {
    const io = memoryIo({ cwd: empty });
    expect(await runAdminCli(['list-users'], io)).toBe(EXIT_FAILURE);
    expect(io.err.join('')).toMatch(/no database at .*portcullis\.db/);
    expect(await runAdminCli(['list-users', '--data', join(empty, 'nope')], memoryIo())).toBe(EXIT_FAILURE);
  });

  it('exits 1 for a weak --password-stdin password before touching any database', async () => {
    const io = memoryIo({ stdin: 'password1234\n' });
    expect(await runAdminCli(['create-user', 'erin', '--password-stdin', '--data', join(empty, 'nope')], io)).toBe(EXIT_FAILURE);
    expect(io.err.join('')).toMatch(/common/);
    expect(io.all()).not.toContain('password1234');
  });
});
