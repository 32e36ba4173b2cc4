import { describe, expect, it } from 'vitest';
import { classifyKey, referenceKeyOf } from './bucket-layout.js';

describe('classifyKey', () => {
  it.each([
    ['reference.bin', 'reference', ''],
    ['releases/app/reference.bin', 'reference', 'releases/app'],
    ['releases/app/app-1.0.1.zip.delta', 'delta', 'releases/app'],
    ['tool-0.9.1.tar.gz.delta', 'delta', ''],
    ['docs/readme.txt', 'direct', 'docs'],
    ['releases/app/reference.bin.sha256', 'direct', 'releases/app'],
    ['.deltaglider/stats_quick.json', 'internal', '.deltaglider'],
    ['nested/.deltaglider/x.json', 'direct', 'nested/.deltaglider'],
  ])('%s is %s in deltaspace %j', (key, kind, deltaspace) => {
    expect(classifyKey(key)).toEqual({ kind, deltaspace });
  });

  it('names the reference of a deltaspace, the root included', () => {
    expect(referenceKeyOf('')).toBe('reference.bin');
    expect(referenceKeyOf('a/b')).toBe('a/b/reference.bin');
  });
});
