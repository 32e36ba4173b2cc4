import { describe, expect, it } from 'vitest';
import { numberProblem } from './number-problem.js';

describe('numberProblem', () => {
  it('accepts what each rule allows and words what it refuses', () => {
    expect(numberProblem(1, 'count')).toBeUndefined();
    for (const value of [0, 1.5, Number.NaN, 2 ** 60])
      expect(numberProblem(value, 'count')).toBe('must be a whole number of at least 1');
    expect(numberProblem(0.25, 'positive')).toBeUndefined();
    for (const value of [0, -1, Number.POSITIVE_INFINITY, Number.NaN])
      expect(numberProblem(value, 'positive')).toBe('must be a number above 0');
    expect(numberProblem(0, 'non-negative')).toBeUndefined();
    expect(numberProblem(-0.5, 'non-negative')).toBe('must be a number of at least 0');
    const level = { min: 1, max: 9, whole: true };
    expect(numberProblem(9, level)).toBeUndefined();
    for (const value of [0, 10, 2.5])
      expect(numberProblem(value, level)).toBe('must be a whole number from 1 to 9');
    expect(numberProblem(0.5, { min: 0, max: 1 })).toBeUndefined();
    expect(numberProblem(2, { min: 0, max: 1 })).toBe('must be a number from 0 to 1');
  });
});
