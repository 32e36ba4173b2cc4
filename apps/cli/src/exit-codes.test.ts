import {
  AccessDeniedError,
  BucketNotFoundError,
  IntegrityError,
  StatsOptionError,
  StoreUnavailableError,
} from '@deltaglider/sdk';
import { describe, expect, it } from 'vitest';
import { describeFailure } from './exit-codes.js';
import { UsageError } from './usage-error.js';

describe('describeFailure', () => {
  it.each([
    [new UsageError('bad flag'), 2, 'usage error: bad flag'],
    [
      new StatsOptionError('mode', 'unknown stats mode "x"'),
      2,
      'usage error: unknown stats mode "x"',
    ],
    [new BucketNotFoundError('releases'), 1, 'error: bucket "releases" does not exist'],
    [new AccessDeniedError('releases', undefined), 1, 'error: access denied (bucket "releases")'],
    [
      new StoreUnavailableError('S3 request for bucket "releases" failed (SlowDown, HTTP 503)'),
      1,
      'error: S3 request for bucket "releases" failed (SlowDown, HTTP 503)',
    ],
    [
      new IntegrityError('a.zip.delta', 'the rebuilt file', 'aa', 'bb'),
      1,
      'error: the rebuilt file of a.zip.delta has SHA-256 bb, expected aa',
    ],
    [
      Object.assign(new Error('x'), { code: 'ENOENT', path: './a.zip' }),
      1,
      'error: ./a.zip: no such file or directory',
    ],
    [new Error('first line\nsecond line'), 1, 'error: first line'],
  ])('maps %s to exit %i', (error, exitCode, message) => {
    expect(describeFailure(error)).toEqual({ exitCode, message });
  });
});
