import { type FilterRule, keyFilter } from '@deltaglider/sdk';
import type { Argv } from 'yargs';

export interface FilterArguments {
  readonly exclude?: readonly string[] | undefined;
  readonly include?: readonly string[] | undefined;
  /** Both kinds in the order typed: set by `runCli`, which still has the raw command line. */
  readonly filterRules?: readonly FilterRule[] | undefined;
}

/** `--exclude PATTERN` and `--include PATTERN`, as `aws s3` takes them (repeatable, ordered). */
export function withFilters<T>(yargs: Argv<T>): Argv<T & FilterArguments> {
  return yargs
    .option('exclude', {
      type: 'string',
      array: true,
      requiresArg: true,
      describe: 'Leave out paths matching this pattern (* ? [abc]), relative to the source',
    })
    .option('include', {
      type: 'string',
      array: true,
      requiresArg: true,
      describe:
        'Take paths matching this pattern back in; of several filters, the last that matches decides',
    }) as unknown as Argv<T & FilterArguments>;
}

/**
 * The rules in the order typed: which comes last decides, and the parser keeps each flag's
 * values apart. `--exclude=P` and `--exclude P` both count; nothing after `--` does.
 */
export function filterRulesIn(args: readonly string[]): FilterRule[] {
  const rules: FilterRule[] = [];
  for (let at = 0; at < args.length; at++) {
    const arg = args[at] as string;
    if (arg === '--') break;
    const match = /^--(exclude|include)(?:=(.*))?$/s.exec(arg);
    if (!match) continue;
    const kind = match[1] as FilterRule['kind'];
    const pattern = match[2] ?? args[++at];
    if (pattern !== undefined) rules.push({ kind, pattern });
  }
  return rules;
}

/** The filter the rules make; none when no rule was given (everything goes). */
export function filterOf(argv: FilterArguments): ((relativeKey: string) => boolean) | undefined {
  const rules = argv.filterRules ?? [];
  return rules.length === 0 ? undefined : keyFilter(rules);
}
