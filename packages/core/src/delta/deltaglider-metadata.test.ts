import { describe, expect, it } from 'vitest';
import { isDeltaCandidate } from '../layout/delta-candidate.js';
import { formatCreatedAt } from './deltaglider-metadata.js';

describe('DeltaGlider metadata formats', () => {
  it('writes created-at as ISO-8601 UTC with microseconds', () => {
    expect(formatCreatedAt(new Date('2026-11-23T19:58:57.145Z'))).toBe(
      '2026-11-23T19:58:57.145000Z',
    );
  });

  it.each([
    ['app.zip', true],
    ['APP.ZIP', true],
    ['tool-0.9.1.tar.gz', true],
    ['lib.jar', true],
    ['image.iso', true],
    ['readme.txt', false],
    ['app.zip.sha256', false],
    ['zip', false],
  ])('%s is a delta candidate: %s', (name, expected) => {
    expect(isDeltaCandidate(name)).toBe(expected);
  });
});
