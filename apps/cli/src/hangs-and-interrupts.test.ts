import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDeltaglider, startDeltaglider } from './test-support/run-deltaglider.js';
import { useS3TestBed } from './test-support/s3-test-bed.js';

// Silent servers, half-sent bodies, Ctrl-C and kill -9: every command ends, says what failed,
// and leaves nothing behind.

const bed = useS3TestBed();
let work: string;
let temp: string;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const archive = (size: number, seed: number) =>
  new Uint8Array(size).map((_, index) => (Math.imul(index + seed, 2654435761) >>> 13) & 255);
const env = () => ({
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  TMPDIR: temp,
  DG_CACHE_DIR: join(work, 'cache'),
});
const viaProxy = (...args: string[]) => ['--endpoint-url', bed.proxy.endpoint, ...args];
/** `cp` of the 8 MB file through the proxy, in 5 MB parts. */
const multipartCopy = (target: string) =>
  viaProxy(
    '--multipart-threshold',
    '5MB',
    '--multipart-chunksize',
    '5MB',
    'cp',
    join(work, 'big.zip'),
    target,
  );
const direct = (...args: string[]) =>
  runDeltaglider(['--endpoint-url', bed.server.endpoint, ...args], env());

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dg-hangs-'));
  await bed.server.createBucket('hangs');
  await writeFile(join(work, 'app-1.zip'), archive(3_000_000, 1));
  await writeFile(
    join(work, 'app-2.zip'),
    archive(3_000_000, 1).map((byte, index) => (index === 5 ? 0 : byte)),
  );
  await writeFile(join(work, 'big.zip'), archive(8_000_000, 9));
  await direct('cp', join(work, 'app-1.zip'), 's3://hangs/app/');
  await direct('cp', join(work, 'app-2.zip'), 's3://hangs/app/');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
beforeEach(async () => {
  bed.proxy.setRules([]);
  temp = await mkdtemp(join(work, 'tmp-'));
});

describe('a server that goes silent', () => {
  it('resumes a download whose body stopped halfway, and it arrives intact', async () => {
    bed.proxy.setRules([
      { type: 'GET', path: /app-2\.zip\.delta$/, fault: 'stall-body', times: 1 },
    ]);
    const out = join(work, 'resumed.zip');
    const run = await runDeltaglider(
      viaProxy('--cli-read-timeout', '1', 'cp', 's3://hangs/app/app-2.zip', out),
      env(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(sha256(await readFile(out))).toBe(sha256(await readFile(join(work, 'app-2.zip'))));
  });

  it('resumes after a connection reset midway through a body (no "error: aborted")', async () => {
    bed.proxy.setRules([{ type: 'GET', path: /reference\.bin$/, fault: 'truncate', times: 2 }]);
    const out = join(work, 'reset.zip');
    const run = await runDeltaglider(viaProxy('cp', 's3://hangs/app/app-1.zip', out), {
      ...env(),
      DG_CACHE_DIR: join(work, 'no-cache'),
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(sha256(await readFile(out))).toBe(sha256(await readFile(join(work, 'app-1.zip'))));
  });

  it('gives up on a body that never resumes, naming the object, instead of hanging', async () => {
    bed.proxy.setRules([{ type: 'GET', path: /app-2\.zip\.delta$/, fault: 'stall-body' }]);
    const run = await runDeltaglider(
      viaProxy(
        '--cli-read-timeout',
        '1',
        'cp',
        's3://hangs/app/app-2.zip',
        join(work, 'never.zip'),
      ),
      env(),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^deltaglider: error: reading s3:\/\/hangs\/app\/app-2\.zip\.delta failed after \d+ bytes and 5 attempts: .*timed out.*\n$/,
    );
    await expect(readFile(join(work, 'never.zip'))).rejects.toThrow();
  }, 60_000);

  it('ends stats on an unanswered LIST without --timeout, naming the bucket', async () => {
    bed.proxy.setRules([{ type: 'LIST', fault: 'stall' }]);
    const run = await runDeltaglider(viaProxy('--cli-read-timeout', '1', 'stats', 'hangs'), env());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^deltaglider: error: S3 ListObjectsV2 for bucket "hangs" failed.*\n$/,
    );
  }, 60_000);

  it.each([
    ['ls', ['ls', 's3://hangs/app/'], 'LIST'],
    ['rm', ['rm', 's3://hangs/app/nothing.zip'], 'HEAD'],
    ['verify', ['verify', 's3://hangs/app/app-1.zip'], 'GET'],
    ['cp', ['cp', 's3://hangs/app/app-1.zip', 'x.zip'], 'GET'],
  ] as const)('%s --timeout ends a stalled call with one line', async (_name, args, type) => {
    bed.proxy.setRules([{ type, fault: 'stall' }]);
    const run = await runDeltaglider(viaProxy(...args, '--timeout', '1'), env());
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toMatch(/^deltaglider: error: timed out after 1 s/);
  });
});

describe('Ctrl-C', () => {
  it.each([
    ['cp (upload)', () => viaProxy('cp', join(work, 'big.zip'), 's3://hangs/interrupted/'), 'PUT'],
    ['cp -r (upload)', () => viaProxy('cp', '-r', join(work, 'tree'), 's3://hangs/tree/'), 'PUT'],
    [
      'cp (download)',
      () => viaProxy('cp', 's3://hangs/app/app-2.zip', join(work, 'dl.zip')),
      'GET',
    ],
  ] as const)(
    '%s: aborts at once, exits 130, stores and leaves nothing',
    async (_name, args, slowed) => {
      await mkdir(join(work, 'tree'), { recursive: true });
      await writeFile(join(work, 'tree', 'big.zip'), await readFile(join(work, 'big.zip')));
      bed.proxy.setRules([{ type: slowed, fault: 'throttle', bytesPerSecond: 500_000 }]);
      if (slowed === 'GET') bed.proxy.setRules([{ type: 'GET', fault: 'delay', delayMs: 5_000 }]);
      const { child, finished } = startDeltaglider(args(), env());
      await delay(1_000);
      const interrupted = performance.now();
      child.kill('SIGINT');
      const run = await finished;
      expect(performance.now() - interrupted).toBeLessThan(2_500);
      expect(run.code).toBe(130);
      expect(run.stderr).toContain('deltaglider: interrupted');
      bed.proxy.setRules([]);
      expect((await direct('ls', '-r', 's3://hangs/interrupted/')).stdout).toBe('');
      expect((await direct('ls', '-r', 's3://hangs/tree/')).stdout).toBe('');
      expect(await readdir(temp)).toEqual([]);
      expect((await readdir(work)).filter((name) => name.includes('dg-tmp'))).toEqual([]);
    },
  );
});

describe('Ctrl-C during a multipart upload', () => {
  it('aborts the upload on the server (no parts left to bill), exits 130, stores nothing', async () => {
    bed.proxy.setRules([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 500_000 }]);
    bed.server.resetRequests();
    const { child, finished } = startDeltaglider(
      multipartCopy('s3://hangs/multipart-interrupted/'),
      env(),
    );
    // Wait until parts are on their way, then interrupt.
    await waitFor(async () =>
      bed.server.requests.some((request) => request.url.includes('uploads')),
    );
    await delay(500);
    child.kill('SIGINT');
    const run = await finished;
    expect(run.code).toBe(130);
    bed.proxy.setRules([]);
    const aborted = bed.server.requests.filter(
      (request) => request.method === 'DELETE' && request.url.includes('uploadId='),
    );
    expect(aborted).toHaveLength(1);
    expect((await direct('ls', '-r', 's3://hangs/multipart-interrupted/')).stdout).toBe('');
    expect(await readdir(temp)).toEqual([]);
    // Nothing left to bill: the server lists no unfinished upload.
    const left = await direct('stats', 's3://hangs/multipart-interrupted/', '--uploads', '--json');
    expect(JSON.parse(left.stdout).billing.uploads).toMatchObject({ listed: true, uploads: 0 });
  });
});

describe('kill -9 during a multipart upload', () => {
  it('leaves an upload that stats --uploads counts and the next upload aborts', async () => {
    // The first part goes at full speed, the rest crawl: the kill lands between them.
    bed.proxy.setRules([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 200_000, skip: 1 }]);
    bed.server.resetRequests();
    const target = 's3://hangs/multipart-killed/';
    const { child, finished } = startDeltaglider(multipartCopy(target), env());
    // Kill once a part has landed: a process killed so cannot abort its upload.
    const uploadsNow = async () =>
      JSON.parse((await direct('stats', target, '--uploads', '--json', '--no-cache')).stdout)
        .billing.uploads;
    await waitFor(async () => (await uploadsNow()).parts > 0, 30_000);
    child.kill('SIGKILL');
    expect((await finished).signal).toBe('SIGKILL');
    bed.proxy.setRules([]);

    const counted = JSON.parse((await direct('stats', target, '--uploads', '--json')).stdout);
    expect(counted.billing.uploads).toMatchObject({ listed: true, uploads: 1 });
    expect(counted.billing.uploads.parts).toBeGreaterThan(0);
    expect(counted.billing.uploads.bytes).toBeGreaterThan(0);
    expect(counted.billing.billed_bytes).toBe(
      counted.billing.listed_bytes + counted.billing.uploads.bytes,
    );

    // The next upload through that endpoint aborts what the killed process left.
    const next = await runDeltaglider(
      viaProxy('cp', join(work, 'app-1.zip'), 's3://hangs/after-kill-9/'),
      env(),
    );
    expect(next.code).toBe(0);
    const after = JSON.parse((await direct('stats', target, '--uploads', '--json')).stdout);
    expect(after.billing.uploads).toMatchObject({ uploads: 0, parts: 0, bytes: 0 });
  });

  it('aborts, with rm --incomplete-uploads, an upload another client left, never a young one unasked', async () => {
    const target = 's3://hangs/foreign-upload/';
    // Another client's upload: begun, one part sent, never finished.
    const created = await fetch(`${bed.server.endpoint}/hangs/foreign-upload/blob.bin?uploads`, {
      method: 'POST',
    });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())?.[1];
    expect(uploadId).toBeDefined();
    const part = await fetch(
      `${bed.server.endpoint}/hangs/foreign-upload/blob.bin?partNumber=1&uploadId=${uploadId}`,
      { method: 'PUT', body: new Uint8Array(1234) },
    );
    expect(part.status).toBe(200);
    const counted = JSON.parse((await direct('stats', target, '--uploads', '--json')).stdout);
    expect(counted.billing.uploads).toMatchObject({ uploads: 1, parts: 1, bytes: 1234 });
    const human = await direct('stats', target, '--uploads');
    // Its age is what the clock says: "just now" under a second (a fast machine), "N s ago" after.
    expect(human.stdout).toMatch(
      /Uploads\s+1 {2}unfinished multipart upload\(s\), 1\.2 KiB in 1 part\(s\), the oldest begun (just now|\S+ \S+ ago) \(/,
    );
    expect(human.stdout).toContain(
      'abort them: deltaglider rm --incomplete-uploads s3://hangs/foreign-upload/',
    );

    // Begun seconds ago: the default (1d) keeps it, as it keeps any upload still running.
    const kept = await direct('rm', '--incomplete-uploads', target);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toBe('');
    expect(kept.stderr).toMatch(/0 aborted, 1 younger than 1d kept/);
    const dry = await direct('rm', '--incomplete-uploads', '--older-than', '0', '--dryrun', target);
    expect(dry.stdout).toMatch(/^\(dryrun\) abort: s3:\/\/hangs\/foreign-upload\/blob\.bin/);
    const aborted = await direct('rm', '--incomplete-uploads', '--older-than', '0', target);
    expect(aborted.code).toBe(0);
    expect(aborted.stdout).toMatch(/^abort: s3:\/\/hangs\/foreign-upload\/blob\.bin \(upload /);
    const after = JSON.parse((await direct('stats', target, '--uploads', '--json')).stdout);
    expect(after.billing.uploads).toMatchObject({ uploads: 0, parts: 0, bytes: 0 });
  });

  it('refuses a duration it cannot read, and --older-than without --incomplete-uploads (exit 2)', async () => {
    const bad = await direct('rm', '--incomplete-uploads', '--older-than', 'soon', 's3://hangs/');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--older-than must be a duration like 30s, 15m, 12h or 1d, not "soon"/,
    );
    const alone = await direct('rm', '--older-than', '7d', 's3://hangs/x');
    expect(alone.code).toBe(2);
  });
});

describe('kill -9', () => {
  it('leaves a temp directory that the next run removes', async () => {
    bed.proxy.setRules([{ type: 'PUT', fault: 'throttle', bytesPerSecond: 500_000 }]);
    // The second version is diffed in this process's temp directory before its slow PUT.
    const { child, finished } = startDeltaglider(
      viaProxy('cp', join(work, 'app-2.zip'), 's3://hangs/killed/'),
      env(),
    );
    await waitFor(async () => (await readdir(temp)).length > 0);
    child.kill('SIGKILL');
    expect((await finished).signal).toBe('SIGKILL');
    const left = await readdir(temp);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^deltaglider-${child.pid}-`))]);

    bed.proxy.setRules([]);
    const next = await direct('cp', join(work, 'app-2.zip'), 's3://hangs/after-kill/');
    expect(next.code).toBe(0);
    expect(await readdir(temp)).toEqual([]);
  });

  it('removes a *.dg-tmp that a killed download left beside its destination', async () => {
    const destination = join(work, 'downloads');
    await mkdir(destination, { recursive: true });
    const dead = startDeltaglider(['--version'], env());
    await dead.finished;
    const stale = join(destination, `.app-1.zip.${dead.child.pid}-0000.dg-tmp`);
    await writeFile(stale, 'half a file from a killed download');
    const run = await direct('cp', 's3://hangs/app/app-1.zip', `${destination}/`);
    expect(run.code).toBe(0);
    expect(await readdir(destination)).toEqual(['app-1.zip']);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await delay(20);
  }
}
