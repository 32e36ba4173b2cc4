import { type NumberRule, numberProblem } from '@deltaglider/sdk';
import { UsageError } from '../usage-error.js';

/** A number flag, checked by the rule every package shares; a usage error names the flag. */
export function checkNumberFlag<T extends number | undefined>(
  flag: string,
  value: T,
  rule: NumberRule,
): T {
  const problem = value === undefined ? undefined : numberProblem(value, rule);
  if (problem) throw new UsageError(`--${flag} ${problem}`);
  return value;
}
