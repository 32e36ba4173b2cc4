import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, useS3TestBed } from './test-support/s3-test-bed.js';

// Separate `deltaglider cp` processes racing first uploads into one empty directory, PUT bodies
// slowed to 20 MB/s, on a custom endpoint (conditional writes assumed unenforced). In-process
// races at 2 to 16-way, 20 rounds each, are in apps/sdk/src/upload-races.test.ts.

const bed = useS3TestBed([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 20_000_000 }]);
let work: string;
const env = testCredentialsEnv;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-cli-races-'));
  const base = new Uint8Array(2_000_000).map(
    (_, index) => (Math.imul(index, 2654435761) >>> 11) & 255,
  );
  for (let version = 1; version <= 8; version++) {
    const bytes = Uint8Array.from(base);
    bytes.fill(version, version * 10_000, version * 10_000 + 4_096);
    await writeFile(join(work, `app-${version}.zip`), bytes);
  }
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('parallel deltaglider cp processes into one empty directory', () => {
  it.each([4, 8])(
    '%i-way, 3 rounds: every cp that exits 0 downloads byte-identical',
    async (ways) => {
      const bucket = `cli-race-${ways}`;
      await bed.server.createBucket(bucket);
      for (let round = 0; round < 3; round++) {
        const directory = `s3://${bucket}/round-${round}/`;
        const runs = await Promise.all(
          Array.from({ length: ways }, (_, index) =>
            runDeltaglider(
              [
                '--endpoint-url',
                bed.proxy.endpoint,
                'cp',
                join(work, `app-${index + 1}.zip`),
                directory,
              ],
              { ...env, DG_CACHE_DIR: join(work, `cache-${index}`) },
            ),
          ),
        );
        for (const [index, run] of runs.entries()) {
          expect(run.stderr).toBe('');
          expect(run.code).toBe(0);
          const out = join(work, `out-${ways}-${round}-${index}.zip`);
          const download = await runDeltaglider(
            ['--endpoint-url', bed.server.endpoint, 'cp', `${directory}app-${index + 1}.zip`, out],
            { ...env, DG_CACHE_DIR: join(work, 'checker') },
          );
          expect(download.stderr).toBe('');
          expect(sha256(await readFile(out))).toBe(
            sha256(await readFile(join(work, `app-${index + 1}.zip`))),
          );
        }
      }
    },
    // A guard against hangs only: 8-way took 80 s on a loaded 2-core machine.
    300_000,
  );
});
