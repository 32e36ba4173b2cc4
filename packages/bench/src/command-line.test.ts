import { describe, expect, it } from 'vitest';
import { numberList, option, positiveInteger, wordList } from './command-line.js';

// How `pnpm bench` reads its options. Each suite used to read them its own way, and one way
// took the program's own path for the value of a flag that was not given.

const argv = (...words: string[]) => ['/usr/bin/node', 'run-bench.ts', ...words];

describe('the bench command line', () => {
  it('gives the default when the flag is not there, not the word before the arguments', () => {
    expect(numberList('sizes', '1', argv('--suite', 'big-files'))).toEqual([1]);
    expect(option('dir', '/tmp/big', argv('--suite', 'big-files'))).toBe('/tmp/big');
  });

  it("reads a flag's value, and the default for a flag given last without one", () => {
    expect(option('dir', '/tmp/x', argv('--dir', '/dev/shm/y', '--suite', 'codec'))).toBe(
      '/dev/shm/y',
    );
    expect(option('dir', '/tmp/x', argv('--suite', 'codec', '--dir'))).toBe('/tmp/x');
  });

  it('splits lists at commas, dropping empty entries', () => {
    expect(numberList('levels', '6', argv('--levels', '1,,3,'))).toEqual([1, 3]);
    expect(wordList('pairs', 'sharp,lodash', argv())).toEqual(['sharp', 'lodash']);
    expect(wordList('pairs', '', argv('--pairs', 'source,archives'))).toEqual([
      'source',
      'archives',
    ]);
  });

  it('refuses a count that is not a whole number from 1', () => {
    expect(positiveInteger('runs', '3')).toBe(3);
    for (const text of ['0', '2.5', 'three', ''])
      expect(() => positiveInteger('runs', text)).toThrow(
        `--runs must be a whole number from 1, not "${text}"`,
      );
  });
});
