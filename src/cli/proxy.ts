// `portcullis proxy`: reads the tecnativa-style environment and runs the socket proxy.
import type { Command } from 'commander';

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('Docker socket proxy (drop-in for tecnativa/docker-socket-proxy, safe by default)')
    .action(() => {
      process.stderr.write('portcullis proxy: not implemented yet\n');
      process.exit(2);
    });
}
