// The CLI: the only place that reads argv and the environment, and the only place that exits.
import { Command } from 'commander';
import { registerProxyCommand } from './proxy.js';

const program = new Command();
program
  .name('portcullis')
  .description('Security-first Docker control plane: socket proxy, policy engine, auditor')
  .version('0.1.0')
  .showHelpAfterError();

registerProxyCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`portcullis: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
