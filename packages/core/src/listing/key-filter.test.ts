import { describe, expect, it } from 'vitest';
import { type FilterRule, keyFilter } from './key-filter.js';

const exclude = (pattern: string): FilterRule => ({ kind: 'exclude', pattern });
const include = (pattern: string): FilterRule => ({ kind: 'include', pattern });

// The cases of the AWS CLI's documentation ("Use of Exclude and Include Filters"), with paths
// below the source directory.
describe('keyFilter, as aws s3 applies --exclude and --include', () => {
  const keys = ['MyFile1.txt', 'MyFile2.rtf', 'MyFile88.txt', 'MySubdirectory/MyFile3.txt'];
  const through = (...rules: FilterRule[]) => keys.filter(keyFilter(rules));

  it('lets everything through without rules', () => {
    expect(through()).toEqual(keys);
  });

  it('--exclude "*.txt" leaves the .rtf, in subdirectories too (* crosses /)', () => {
    expect(through(exclude('*.txt'))).toEqual(['MyFile2.rtf']);
  });

  it('--exclude "*.txt" --include "MyFile*.txt": the later rule wins', () => {
    // The subdirectory's file does not start with MyFile: it stays excluded.
    expect(through(exclude('*.txt'), include('MyFile*.txt'))).toEqual(keys.slice(0, 3));
  });

  it('--include "MyFile*.txt" --exclude "*.txt": the later rule wins again', () => {
    expect(through(include('MyFile*.txt'), exclude('*.txt'))).toEqual(['MyFile2.rtf']);
  });

  it('--exclude "*" --include "MyFile?.txt": ? is exactly one character', () => {
    expect(through(exclude('*'), include('MyFile?.txt'))).toEqual(['MyFile1.txt']);
  });

  it('[seq] and [!seq] are one character of, or not of, a set', () => {
    expect(through(exclude('*'), include('MyFile[12].*'))).toEqual(['MyFile1.txt', 'MyFile2.rtf']);
    expect(through(exclude('MyFile[!1]*'))).toEqual(['MyFile1.txt', 'MySubdirectory/MyFile3.txt']);
  });

  it('matches the whole path, and takes regex characters literally', () => {
    expect(keyFilter([exclude('MyFile1')])('MyFile1.txt')).toBe(true);
    expect(keyFilter([exclude('a+b(1).txt')])('a+b(1).txt')).toBe(false);
    expect(keyFilter([exclude('a.txt')])('abtxt')).toBe(true);
  });
});
