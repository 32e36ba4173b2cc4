/** Numbers from `min` (to `max`, when given), whole numbers only when `whole`. */
export interface NumberRange {
  readonly min: number;
  readonly max?: number | undefined;
  readonly whole?: boolean | undefined;
}

/**
 * What a number option may be. `count`: a whole number, at least 1 (concurrency, object
 * limits). `positive`: any number above 0 (seconds to wait). `non-negative`: 0 or more (an age).
 * Or a range.
 */
export type NumberRule = 'count' | 'positive' | 'non-negative' | NumberRange;

const named: Record<'count' | 'non-negative', NumberRange> = {
  count: { min: 1, whole: true },
  'non-negative': { min: 0 },
};

/**
 * The one check of a number option, shared by core, the SDK and the CLI so they word it alike:
 * undefined when `value` keeps `rule`, else what it must be (`must be a whole number of at
 * least 1`), for the caller to prefix with the option's name and raise as its own error.
 */
export function numberProblem(value: number, rule: NumberRule): string | undefined {
  if (rule === 'positive')
    return Number.isFinite(value) && value > 0 ? undefined : 'must be a number above 0';
  const { min, max, whole } = typeof rule === 'string' ? named[rule] : rule;
  const fits =
    Number.isFinite(value) &&
    value >= min &&
    (max === undefined || value <= max) &&
    (!whole || Number.isSafeInteger(value));
  if (fits) return undefined;
  const kind = whole ? 'a whole number' : 'a number';
  return `must be ${kind} ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`;
}
