// `portcullis admin …`: the command tree (users, tokens, audit log, backup), exit codes 0/1/2, and an in-process runner for tests.
import { userInfo } from 'node:os';
import { Command, CommanderError } from 'commander';
import { StoreInputError } from '../store/index.js';
import { backupDatabase, exportAudit, verifyAudit } from './admin-audit.js';
import {
  AdminError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, MAX_STDIN_BYTES, resolveStoreSettings, type AdminIo, type StoreSettings,
} from './admin-context.js';
import { printTokens, printUsers, revokeToken } from './admin-listing.js';
import { createUser, resetPassword, resetTwoFactor, setUserDisabled, unlockUser, type CreateUserFlags } from './admin-users.js';

export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, resolveStoreSettings, type AdminIo, type StoreSettings } from './admin-context.js';

/** Built-in role names offered in the help text (custom roles are accepted too). */
const ROLE_HELP = 'role granted: admin, operator, viewer or a custom role';

function osUserName(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (e.g. an arbitrary uid in a container): fall back to the environment, then the uid.
    return env.USER ?? env.LOGNAME ?? `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_STDIN_BYTES) throw new AdminError(`stdin is larger than ${MAX_STDIN_BYTES} bytes`, EXIT_FAILURE);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process: stdout, stderr, stdin, environment, working directory and OS user. */
export function processAdminIo(): AdminIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: readProcessStdin,
    stdinIsTty: process.stdin.isTTY === true,
    osUser: osUserName(process.env),
  };
}

/** Maps an error to its exit code and prints it; store input errors are bad usage, anything unexpected a failure. */
function report(err: unknown, io: AdminIo): number {
  if (err instanceof AdminError) {
    io.stderr(`portcullis admin: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof StoreInputError) {
    io.stderr(`portcullis admin: ${err.message}\n`);
    return EXIT_USAGE;
  }
  io.stderr(`portcullis admin: ${err instanceof Error ? err.message : String(err)}\n`);
  return EXIT_FAILURE;
}

type Run = (settings: StoreSettings) => Promise<void>;

/**
 * Adds `admin` and its subcommands to `program`. `setExitCode` receives 0, 1 or 2 after each action;
 * usage errors found by commander (unknown option, missing argument) go to `onUsage`.
 */
function build(program: Command, io: AdminIo, setExitCode: (code: number) => void, onUsage: (err: CommanderError) => never): void {
  const admin = program
    .command('admin')
    .description('administer users, API tokens, the audit log and backups directly in the database')
    .option('--data <dir>', 'data directory (env PORTCULLIS_DATA, default ./data)')
    .option('--database <url>', 'database URL: sqlite:<file> or postgres://… (env PORTCULLIS_DATABASE, default sqlite:<data>/portcullis.db)')
    .exitOverride(onUsage)
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError();

  const act = (cmd: Command, run: Run): Promise<void> => {
    const flags = cmd.optsWithGlobals<{ data?: string; database?: string }>();
    return run(resolveStoreSettings(flags, io.env, io.cwd)).then(
      () => setExitCode(EXIT_OK),
      (err: unknown) => setExitCode(report(err, io)),
    );
  };

  admin
    .command('reset-password')
    .argument('<user>', 'username')
    .description('set a random one-time password (printed once), require a change at next login, revoke all sessions')
    .action((user: string, _o: object, cmd: Command) => act(cmd, (s) => resetPassword(s, io, user)));

  admin
    .command('create-user')
    .argument('<user>', 'username')
    .description('create a user with a password from stdin or a random one-time password (printed once)')
    .option('--role <role>', ROLE_HELP)
    .option('--scope <scope>', 'where the role applies: all, host:<id or name>, tag:<tag> (default all)')
    .option('--password-stdin', 'read the password from stdin (checked against the password policy)')
    .action((user: string, o: CreateUserFlags, cmd: Command) => act(cmd, (s) => createUser(s, io, user, o)));

  admin
    .command('list-users')
    .description('list users: roles and scopes, disabled, must-change, locked, created')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }, cmd: Command) => act(cmd, (s) => printUsers(s, io, o)));

  admin
    .command('unlock')
    .argument('<user>', 'username')
    .description('clear the failed-login lockout of an account')
    .action((user: string, _o: object, cmd: Command) => act(cmd, (s) => unlockUser(s, io, user)));

  const users = admin.command('users').description('disable or enable users, reset a second factor');
  users
    .command('disable')
    .argument('<user>', 'username')
    .description('refuse logins and API tokens of a user, and revoke its sessions')
    .action((user: string, _o: object, cmd: Command) => act(cmd, (s) => setUserDisabled(s, io, user, true)));
  users
    .command('enable')
    .argument('<user>', 'username')
    .description('allow a disabled user again')
    .action((user: string, _o: object, cmd: Command) => act(cmd, (s) => setUserDisabled(s, io, user, false)));
  users
    .command('reset-2fa')
    .argument('<user>', 'username')
    .description("remove a user's second factor and recovery codes (lost phone), and end its sessions")
    .action((user: string, _o: object, cmd: Command) => act(cmd, (s) => resetTwoFactor(s, io, user)));

  const tokens = admin.command('tokens').description('list or revoke API tokens');
  tokens
    .command('list')
    .description('list API tokens of every user (never the token or its hash)')
    .option('--user <user>', 'only this user’s tokens')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean; user?: string }, cmd: Command) => act(cmd, (s) => printTokens(s, io, o)));
  tokens
    .command('revoke')
    .argument('<id>', 'token id (from tokens list)')
    .description('revoke an API token')
    .action((id: string, _o: object, cmd: Command) => act(cmd, (s) => revokeToken(s, io, id)));

  const audit = admin.command('audit').description('verify or export the audit log');
  audit
    .command('verify')
    .description('walk the hash chain; exit 1 naming the first changed, removed or reordered record')
    .action((_o: object, cmd: Command) => act(cmd, (s) => verifyAudit(s, io)));
  audit
    .command('export')
    .description('print every record as JSON lines, oldest first')
    .option('--output <file>', 'write to this file (mode 0600) instead of stdout')
    .option('--force', 'overwrite --output when it exists')
    .action((o: { output?: string; force?: boolean }, cmd: Command) => act(cmd, (s) => exportAudit(s, io, o)));

  admin
    .command('backup')
    .description('write a consistent copy of the SQLite database (mode 0600); for PostgreSQL use pg_dump')
    .requiredOption('--output <file>', 'backup file to write')
    .option('--force', 'overwrite --output when it exists')
    .action((o: { output?: string; force?: boolean }, cmd: Command) => act(cmd, (s) => backupDatabase(s, io, o)));

}

/**
 * Adds `portcullis admin …` to the program. Exit codes: 0 success, 1 clear failure, 2 bad usage.
 * @example registerAdminCommand(program); await program.parseAsync(process.argv);
 */
export function registerAdminCommand(program: Command, io: AdminIo = processAdminIo()): void {
  build(
    program,
    io,
    (code) => {
      process.exitCode = code;
    },
    (err) => process.exit(err.exitCode === 0 ? EXIT_OK : EXIT_USAGE),
  );
}

/**
 * Runs `portcullis admin <argv…>` in-process against `io` and returns the exit code (for tests and embedding).
 * @example await runAdminCli(['reset-password', 'alice', '--data', dir], io) // 0
 */
export async function runAdminCli(argv: string[], io: AdminIo): Promise<number> {
  let code = EXIT_OK;
  const program = new Command().name('portcullis').exitOverride();
  program.configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  build(
    program,
    io,
    (c) => {
      code = c;
    },
    (err) => {
      throw err;
    },
  );
  try {
    await program.parseAsync(['admin', ...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw err;
  }
  return code;
}
