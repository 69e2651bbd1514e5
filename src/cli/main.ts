// The CLI: the only place that reads argv and the environment, and the only place that exits.
import { Command } from 'commander';

const program = new Command();
program
  .name('portcullis')
  .description('Security-first Docker control plane: socket proxy, policy engine, auditor')
  .version('0.1.0')
  .showHelpAfterError();

/** Each command's module is loaded only when needed, so the proxy's memory holds the proxy alone. */
const COMMANDS: Record<string, () => Promise<(p: Command) => void>> = {
  server: async () => (await import('./server.js')).registerServerCommand,
  proxy: async () => (await import('./proxy.js')).registerProxyCommand,
  audit: async () => (await import('./audit.js')).registerAuditCommand,
  admin: async () => (await import('./admin.js')).registerAdminCommand,
  agent: async () => (await import('./agent.js')).registerAgentCommand,
};

async function main(): Promise<void> {
  const wanted = process.argv[2];
  const load = wanted !== undefined ? COMMANDS[wanted] : undefined;
  const registers = load ? [await load()] : await Promise.all(Object.values(COMMANDS).map((l) => l()));
  for (const register of registers) register(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`portcullis: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
