import { cacheCommand } from './cache.js';
import type { CliCommand } from './cli-command.js';
import { cpCommand } from './cp.js';
import { gcCommand } from './gc.js';
import { lsCommand } from './ls.js';
import { rmCommand } from './rm.js';
import { serveCommand } from './serve.js';
import { statsCommand } from './stats.js';
import { verifyCommand } from './verify.js';

// Each command types its own arguments; the list only needs what they share.
const asListed = <T>(command: CliCommand<T>) => command as unknown as CliCommand<never>;

/** Every command the CLI offers, in the order `--help` lists them. */
export const commands: readonly CliCommand<never>[] = [
  asListed(statsCommand),
  asListed(cpCommand),
  asListed(lsCommand),
  asListed(rmCommand),
  asListed(gcCommand),
  asListed(verifyCommand),
  asListed(cacheCommand),
  asListed(serveCommand),
];
