// The one versioned migration set for SQLite and PostgreSQL (only column-type details branch on dialect).
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';
import type { Dialect } from './repositories.js';

/** Permissions of the built-in roles at the time of 0001 (src/auth may re-sync them later). */
const VIEWER = ['container.read', 'image.read', 'network.read', 'volume.read', 'host.read', 'system.read'];
const OPERATOR = [...VIEWER, 'container.operate', 'image.pull'];
const ADMIN = [
  ...OPERATOR, 'container.exec', 'container.create', 'container.delete', 'image.delete', 'network.manage',
  'volume.manage', 'host.manage', 'audit.read', 'user.manage', 'token.manage',
];

/** A CHECK (col IN (...)) expression over literal values. */
function sqlIn(column: string, values: string[]): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

function init(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .addColumn('totp_secret_enc', 'text')
        .addColumn('totp_last_step', 'integer')
        .addColumn('oidc_subject', 'text', (c) => c.unique())
        .execute();

      await db.schema
        .createTable('roles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id').onDelete('cascade'))
        .addColumn('subject_type', 'text', (c) => c.notNull().check(sqlIn('subject_type', ['user', 'token'])))
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('scope_type', 'text', (c) => c.notNull().check(sqlIn('scope_type', ['all', 'host', 'tag'])))
        .addColumn('scope_value', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('grants_subject').on('grants').columns(['subject_type', 'subject_id']).execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('client_ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();

      await db.schema
        .createTable('hosts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['local', 'agent'])))
        .addColumn('agent_token_hash', 'text', (c) => c.unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('auth_failures')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute();

      await db.schema
        .createTable('secrets')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value_enc', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      // seq is assigned by append() inside its transaction; the serial type only keeps it numeric and unique.
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull().check(sqlIn('actor_type', ['user', 'token', 'agent', 'system'])))
        .addColumn('client_ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('result', 'text', (c) => c.notNull().check(sqlIn('result', ['success', 'denied', 'error'])))
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_time').on('audit_log').column('time').execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').column('actor').execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').column('action').execute();

      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      const now = new Date().toISOString();
      const typed = db as unknown as Kysely<{ roles: { id: string; name: string; builtin: number; permissions: string; created_at: string } }>;
      await typed
        .insertInto('roles')
        .values(
          [
            ['admin', ADMIN],
            ['operator', OPERATOR],
            ['viewer', VIEWER],
          ].map(([name, perms]) => ({ id: randomUUID(), name: name as string, builtin: 1, permissions: JSON.stringify(perms), created_at: now })),
        )
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['audit_head', 'audit_log', 'secrets', 'auth_failures', 'hosts', 'api_tokens', 'sessions', 'grants', 'roles', 'users']) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}

/** 0002: the agent identity of a host (enrolled Ed25519 public key) and what its agent reported. */
const agentIdentity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const col of ['agent_public_key', 'agent_enrolled_at', 'agent_version', 'agent_policy']) {
      await db.schema.alterTable('hosts').addColumn(col, 'text').execute();
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const col of ['agent_policy', 'agent_version', 'agent_enrolled_at', 'agent_public_key']) {
      await db.schema.alterTable('hosts').dropColumn(col).execute();
    }
  },
};

/**
 * 0003: two-factor login (pending/active TOTP columns, hashed recovery codes, second-step login challenges,
 * per-role "2FA required" flag) and OIDC sign-in flows (state, nonce and PKCE verifier bound to a cookie).
 */
const ssoTwoFactor: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('totp_pending_enc', 'text').execute();
    await db.schema.alterTable('users').addColumn('totp_enabled_at', 'text').execute();
    await db.schema.alterTable('roles').addColumn('require_2fa', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('recovery_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('code_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute();
    await db.schema
      .createTable('login_challenges')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (c) => c.notNull().check(sqlIn('purpose', ['verify', 'enrol'])))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('oidc_flows')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('redirect_uri', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['oidc_flows', 'login_challenges', 'recovery_codes']) await db.schema.dropTable(t).execute();
    await db.schema.alterTable('roles').dropColumn('require_2fa').execute();
    await db.schema.alterTable('users').dropColumn('totp_enabled_at').execute();
    await db.schema.alterTable('users').dropColumn('totp_pending_enc').execute();
  },
};

/** The migrations in order; names are `NNNN_slug` and never change once released. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return { '0001_init': init(dialect), '0002_agent_identity': agentIdentity, '0003_sso_2fa': ssoTwoFactor };
}
