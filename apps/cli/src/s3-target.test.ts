import { describe, expect, it } from 'vitest';
import { parseS3Location, parseS3Target } from './s3-target.js';
import { UsageError } from './usage-error.js';

describe('parseS3Target', () => {
  it.each([
    ['releases', { bucket: 'releases', prefix: '' }],
    ['s3://releases', { bucket: 'releases', prefix: '' }],
    ['s3://releases/', { bucket: 'releases', prefix: '' }],
    ['s3://releases/app', { bucket: 'releases', prefix: 'app/' }],
    ['S3://releases/app/v1/', { bucket: 'releases', prefix: 'app/v1/' }],
  ])('reads %s as a directory', (text, expected) => {
    expect(parseS3Target(text)).toEqual(expected);
  });

  it.each(['', 's3://', 'Bad_Name', 'ab', 's3://a..b/x', 'http://releases', 'releases/app'])(
    'refuses %j',
    (text) => {
      expect(() => parseS3Target(text)).toThrow(UsageError);
    },
  );
});

describe('parseS3Location', () => {
  it('keeps the path as typed', () => {
    expect(parseS3Location('s3://releases/app/app-1.0.zip')).toEqual({
      bucket: 'releases',
      path: 'app/app-1.0.zip',
    });
    expect(parseS3Location('s3://releases')).toEqual({ bucket: 'releases', path: '' });
  });
});
