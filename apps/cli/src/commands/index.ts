import type { CliCommand } from './cli-command.js';
import { statsCommand } from './stats.js';

/** Every command the CLI offers, in the order `--help` lists them. */
// Each command types its own arguments; the list only needs what they share.
export const commands: readonly CliCommand<never>[] = [
  statsCommand as unknown as CliCommand<never>,
];
