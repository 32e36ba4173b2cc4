import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, useS3TestBed } from './test-support/s3-test-bed.js';

// Names in every script go up as reference and delta, list, verify and come back byte for byte.

const NAMES = [
  'ünïcødé-日本.zip',
  'café-déjà.zip',
  'release-🚀.zip',
  'cafe\u0301-noe\u0308l.zip',
  'ملف-הגרסה.zip',
];

const bed = useS3TestBed();
let work: string;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-names-'));
  await bed.server.createBucket('names');
  await mkdir(join(work, 'store', 'names'), { recursive: true });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each([
  ['the S3 test server', () => bed.server.endpoint],
  ['file://', () => `file://${join(work, 'store')}`],
])('any file name, on %s', (_name, endpoint) => {
  it('uploads (reference, then delta), lists, verifies and downloads each name intact', async () => {
    const dg = (...args: string[]) =>
      runDeltaglider(['--endpoint-url', endpoint(), ...args], {
        ...testCredentialsEnv,
        DG_CACHE_DIR: join(work, 'cache'),
      });
    const base = new Uint8Array(200_000).map((_, index) => (index * 31) % 251);
    for (const [index, name] of NAMES.entries()) {
      const directory = join(work, 'files', String(index));
      await mkdir(directory, { recursive: true });
      const bytes = base.slice();
      bytes[index * 1000] = 255;
      await writeFile(join(directory, name), bytes);
      const up = await dg('cp', join(directory, name), `s3://names/日本/${endpoint().length}/`);
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
    }
    const listed = await dg('ls', `s3://names/日本/${endpoint().length}/`);
    for (const name of NAMES) expect(listed.stdout).toContain(name);

    for (const [index, name] of NAMES.entries()) {
      const key = `s3://names/日本/${endpoint().length}/${name}`;
      const verify = await dg('verify', key);
      expect(verify.code).toBe(0);
      const down = join(work, 'down', String(index), name);
      await mkdir(join(down, '..'), { recursive: true });
      expect((await dg('cp', key, down)).code).toBe(0);
      const original = await readFile(join(work, 'files', String(index), name));
      expect(sha256(await readFile(down))).toBe(sha256(original));
    }
  }, 60_000);
});
