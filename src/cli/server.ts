// `portcullis server`: reads flags and PORTCULLIS_* variables, starts the control plane, stops on SIGTERM/SIGINT.
import type { Command } from 'commander';
import {
  readSettings, resolveServerSettings, serverSettings, SettingError, unknownPrefixedVars, withFlags, type ResolvedServerSettings,
} from '../config/index.js';
import { createLogger } from '../log/index.js';
import { startServer } from '../server/index.js';

/** Flags of the command, as commander names them (camelCase of the flag). */
type ServerFlags = Partial<Record<string, string | boolean>>;

/** Merges the flags over the environment (a flag wins) and checks the settings. */
export function serverSettingsFrom(env: NodeJS.ProcessEnv, flags: ServerFlags): ResolvedServerSettings {
  return resolveServerSettings(readSettings(serverSettings, withFlags(serverSettings, env, flags)));
}

/** Registers `portcullis server` with its flags (one per setting that has a flag). */
export function registerServerCommand(program: Command): void {
  const cmd = program
    .command('server')
    .description('Run the control plane (REST API, sessions, RBAC, audit log); see docs/configuration.md');
  for (const spec of Object.values(serverSettings)) {
    if (!('flag' in spec)) continue;
    const boolean = spec.env === 'PORTCULLIS_INSECURE_HTTP';
    cmd.option(boolean ? spec.flag : `${spec.flag} <value>`, `${spec.help} (env ${spec.env}${spec.default ? `; default ${spec.default}` : ''})`);
  }
  cmd.action(async (flags: ServerFlags) => {
    let resolved: ResolvedServerSettings;
    try {
      resolved = serverSettingsFrom(process.env, flags);
    } catch (err) {
      const msg = err instanceof SettingError || err instanceof Error ? err.message : String(err);
      process.stderr.write(`portcullis server: ${msg}\n`);
      process.exit(2);
    }
    const log = createLogger({ level: resolved.settings.LOG_LEVEL, name: 'portcullis-server' });
    for (const v of unknownPrefixedVars([serverSettings], process.env)) log.warn({ variable: v }, `unknown setting ${v} is ignored (typo?)`);
    try {
      const srv = await startServer({ resolved, logger: log, printSecret: (t) => void process.stderr.write(t) });
      const stop = (signal: string): void => {
        log.info({ signal }, 'shutting down');
        srv.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    } catch (err) {
      log.fatal({ err: { message: (err as Error).message } }, 'could not start');
      process.stderr.write(`portcullis server: ${(err as Error).message}\n`);
      process.exit(1);
    }
  });
}
