import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SeenRequest, startTlsFront, type TlsFront } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { useS3TestBed } from './test-support/s3-test-bed.js';

// The conventions of real S3 environments, as the AWS CLI follows them: regions from profiles,
// region redirects, requester-pays and anonymous requests. Checked on what reaches the bed.server.

const bed = useS3TestBed();
let home: string;

beforeAll(async () => {
  await bed.server.createBucket('regional');
  home = await mkdtemp(join(tmpdir(), 'dg-home-'));
  await mkdir(join(home, '.aws'));
  await writeFile(
    join(home, '.aws', 'config'),
    '[default]\nregion = ap-south-1\n\n[profile eu]\nregion = eu-west-3\n',
  );
  await writeFile(
    join(home, '.aws', 'credentials'),
    '[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = s\n\n[eu]\naws_access_key_id = EUKEY\naws_secret_access_key = s\n',
  );
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});
beforeEach(() => bed.proxy.setRules([]));

/** Runs against the proxy as a user with only ~/.aws to go on (no AWS_* variables). */
const dg = (args: string[], env: Record<string, string> = {}) =>
  runDeltaglider(['--endpoint-url', bed.proxy.endpoint, ...args], { HOME: home, ...env });

/** The region a request was signed for, from its SigV4 credential scope. */
function signedRegion(request: SeenRequest | undefined): string | undefined {
  const authorization = String(request?.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(authorization)?.[1];
}
const lastListing = () => bed.proxy.seenRequests().findLast((request) => request.type === 'LIST');

describe('region, as the AWS CLI finds it', () => {
  it.each([
    ['--profile eu', ['--profile', 'eu'], {}, 'eu-west-3'],
    ['AWS_PROFILE=eu', [], { AWS_PROFILE: 'eu' }, 'eu-west-3'],
    ["the default profile's region", [], {}, 'ap-south-1'],
    ['AWS_REGION over the profile', ['--profile', 'eu'], { AWS_REGION: 'us-west-2' }, 'us-west-2'],
    [
      '--region over everything',
      ['--profile', 'eu', '--region', 'sa-east-1'],
      { AWS_REGION: 'us-west-2' },
      'sa-east-1',
    ],
  ] as const)('%s', async (_name, flags, env, region) => {
    const run = await dg([...flags, 'stats', 'regional', '--no-cache'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(signedRegion(lastListing())).toBe(region);
  });

  it('uses us-east-1 when nothing names a region, as for any S3-compatible server', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dg-nohome-'));
    try {
      const run = await runDeltaglider(
        ['--endpoint-url', bed.proxy.endpoint, 'stats', 'regional', '--no-cache'],
        { HOME: empty, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' },
      );
      expect(run.code).toBe(0);
      expect(signedRegion(lastListing())).toBe('us-east-1');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('a bucket in another region', () => {
  it("follows the redirect to the bucket's region, as the AWS CLI does", async () => {
    bed.proxy.setRules([{ fault: 'wrong-region', bucketRegion: 'eu-central-1' }]);
    const run = await dg(['--region', 'us-east-1', 'stats', 'regional', '--no-cache']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(signedRegion(lastListing())).toBe('eu-central-1');
  });

  it("names the bucket's region when the redirect cannot be followed", async () => {
    bed.proxy.setRules([{ fault: 'wrong-region', bucketRegion: 'eu-central-1', hideRegion: true }]);
    const run = await dg(['--region', 'us-east-1', 'stats', 'regional', '--no-cache']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'deltaglider: error: bucket "regional" is in another region (eu-central-1): pass --region eu-central-1\n',
    );
  });
});

describe('TLS, as behind a corporate proxy', () => {
  let front: TlsFront;
  beforeAll(async () => {
    front = await startTlsFront(bed.server);
  });
  afterAll(() => front.stop());
  const overTls = (args: string[], env: Record<string, string> = {}) =>
    runDeltaglider(['--endpoint-url', front.endpoint, ...args, 'stats', 'regional', '--no-cache'], {
      HOME: home,
      ...env,
    });

  it('refuses a certificate nobody vouches for, naming the problem', async () => {
    const run = await overTls([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^deltaglider: error: TLS certificate of the S3 endpoint not accepted \(self[- ]signed certificate\): trust its CA with --ca-bundle FILE or \$AWS_CA_BUNDLE/,
    );
  });

  it('trusts it with --ca-bundle or $AWS_CA_BUNDLE', async () => {
    expect(await overTls(['--ca-bundle', front.caFile])).toMatchObject({ code: 0, stderr: '' });
    expect(await overTls([], { AWS_CA_BUNDLE: front.caFile })).toMatchObject({
      code: 0,
      stderr: '',
    });
  });

  it('skips the check with --no-verify-ssl, and warns loudly', async () => {
    const run = await overTls(['--no-verify-ssl']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'deltaglider: warning: --no-verify-ssl: TLS certificates are NOT checked; anyone on the network path can read and change what is sent and received\n',
    );
  });
});

describe('public and Requester Pays buckets', () => {
  it('reads a public bucket with --no-sign-request: no credentials, no signature, no cache write, no warning', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dg-anonymous-'));
    try {
      const before = bed.proxy.seenRequests().length;
      const run = await runDeltaglider(
        ['--endpoint-url', bed.proxy.endpoint, '--no-sign-request', 'stats', 'regional'],
        { HOME: empty },
      );
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const sent = bed.proxy.seenRequests().slice(before);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.every((request) => request.headers.authorization === undefined)).toBe(true);
      expect(sent.filter((request) => request.type === 'PUT')).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('sends x-amz-request-payer on every request with --request-payer requester', async () => {
    const before = bed.proxy.seenRequests().length;
    const file = join(home, 'paid.txt');
    await writeFile(file, 'paid');
    for (const args of [
      ['cp', file, 's3://regional/paid/'],
      ['stats', 'regional', '--detailed'],
      ['ls', 's3://regional/paid/'],
      ['cp', 's3://regional/paid/paid.txt', join(home, 'back.txt')],
      ['rm', 's3://regional/paid/paid.txt'],
    ]) {
      expect((await dg(['--request-payer', 'requester', ...args])).code).toBe(0);
    }
    const sent = bed.proxy.seenRequests().slice(before);
    // Object requests and the bucket-configuration ones (versioning, Object Lock) alike.
    expect([...new Set(sent.map((request) => request.type))]).toEqual(
      expect.arrayContaining(['PUT', 'HEAD', 'LIST', 'GET', 'DELETE', 'OTHER']),
    );
    expect(
      sent.filter((request) => request.headers['x-amz-request-payer'] !== 'requester'),
    ).toEqual([]);
  });
});

describe('a bucket policy that requires encryption', () => {
  it('without --sse: the upload is denied naming the key, the stats cache write is one warning', async () => {
    bed.proxy.setRules([{ fault: 'require-encryption' }]);
    const file = join(home, 'secret.txt');
    await writeFile(file, 'secret');
    const upload = await dg(['cp', file, 's3://regional/enc/']);
    expect(upload).toMatchObject({
      code: 1,
      stderr:
        'deltaglider: error: access denied (PutObject s3://regional/enc/secret.txt): AccessDenied\n',
    });
    const stats = await dg(['stats', 'regional', '--refresh']);
    expect(stats.code).toBe(0);
    expect(stats.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^deltaglider: warning: stats cache .* not written: access denied/),
    ]);
  });

  it('with --sse aws:kms --sse-kms-key-id: every PUT, cache writes included, carries them', async () => {
    bed.proxy.setRules([{ fault: 'require-encryption' }]);
    const file = join(home, 'secret.txt');
    await writeFile(file, 'secret');
    const before = bed.proxy.seenRequests().length;
    const sse = ['--sse', 'aws:kms', '--sse-kms-key-id', 'alias/releases'];
    expect(await dg([...sse, 'cp', file, 's3://regional/enc/'])).toMatchObject({ code: 0 });
    expect(await dg([...sse, 'stats', 'regional', '--refresh'])).toMatchObject({
      code: 0,
      stderr: '',
    });
    const puts = bed.proxy
      .seenRequests()
      .slice(before)
      .filter((request) => request.type === 'PUT');
    expect(puts.map((put) => decodeURIComponent(put.url.split('?')[0]!))).toEqual(
      expect.arrayContaining([
        '/regional/enc/secret.txt',
        '/regional/.deltaglider/stats_quick.json',
      ]),
    );
    for (const put of puts) {
      expect(put.headers['x-amz-server-side-encryption']).toBe('aws:kms');
      expect(put.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/releases');
    }
  });

  it('refuses --sse-kms-key-id without --sse aws:kms (exit 2)', async () => {
    const run = await dg(['--sse-kms-key-id', 'k', 'stats', 'regional']);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'deltaglider: usage error: --sse-kms-key-id goes with --sse aws:kms',
    );
  });
});

describe('read-only users still get fast stats', () => {
  const cacheWrites = (from: number) =>
    bed.proxy
      .seenRequests()
      .slice(from)
      .filter((request) => request.type === 'PUT' && request.url.includes('.deltaglider'));

  it('a denied cache write is one warning; the next process answers from this machine', async () => {
    await bed.server.createBucket('readonly');
    const cacheDirectory = await mkdtemp(join(tmpdir(), 'dg-local-'));
    bed.proxy.setRules([
      { type: 'PUT', path: /\/readonly\/\.deltaglider\//, fault: 'access-denied' },
    ]);
    const env = { DG_CACHE_DIR: cacheDirectory };
    const first = await dg(['stats', 'readonly', '--json'], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(
      'deltaglider: warning: stats cache .deltaglider/stats_quick.json not written: access denied (PutObject s3://readonly/.deltaglider/stats_quick.json): AccessDenied; kept on this machine instead, from now on\n',
    );
    expect(JSON.parse(first.stdout).cache).toMatchObject({
      status: 'miss',
      written: true,
      location: 'local',
    });

    const before = bed.proxy.seenRequests().length;
    const second = await dg(['stats', 'readonly', '--json'], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(second.stdout).cache).toMatchObject({ status: 'hit', location: 'local' });
    expect(cacheWrites(before)).toEqual([]);
    await rm(cacheDirectory, { recursive: true, force: true });
  });

  it('--cache local never reads or writes .deltaglider/ in the bucket', async () => {
    await bed.server.createBucket('localonly');
    const cacheDirectory = await mkdtemp(join(tmpdir(), 'dg-local-'));
    const env = { DG_CACHE_DIR: cacheDirectory };
    const before = bed.proxy.seenRequests().length;
    await dg(['stats', 'localonly', '--cache', 'local'], env);
    const warm = await dg(['stats', 'localonly', '--cache', 'local', '--json'], env);
    expect(JSON.parse(warm.stdout).cache).toMatchObject({ status: 'hit', location: 'local' });
    const touched = bed.proxy
      .seenRequests()
      .slice(before)
      .filter((request) => request.url.includes('.deltaglider'));
    expect(touched).toEqual([]);
    expect((await dg(['stats', 'localonly', '--cache', 'nowhere'])).code).toBe(2);
    await rm(cacheDirectory, { recursive: true, force: true });
  });
});
