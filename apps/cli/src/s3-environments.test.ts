import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FaultProxy,
  type SeenRequest,
  startFaultProxy,
  startTestS3Server,
  type TestS3Server,
} from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';

// The conventions of real S3 environments, as the AWS CLI follows them: regions from profiles,
// region redirects, requester-pays and anonymous requests. Checked on what reaches the server.

let server: TestS3Server;
let proxy: FaultProxy;
let home: string;

beforeAll(async () => {
  server = await startTestS3Server();
  proxy = await startFaultProxy(server);
  await server.createBucket('regional');
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
  await proxy.stop();
  await server.stop();
  await rm(home, { recursive: true, force: true });
});
beforeEach(() => proxy.setRules([]));

/** Runs against the proxy as a user with only ~/.aws to go on (no AWS_* variables). */
const dg = (args: string[], env: Record<string, string> = {}) =>
  runDeltaglider(['--endpoint-url', proxy.endpoint, ...args], { HOME: home, ...env });

/** The region a request was signed for, from its SigV4 credential scope. */
function signedRegion(request: SeenRequest | undefined): string | undefined {
  const authorization = String(request?.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(authorization)?.[1];
}
const lastListing = () => proxy.seenRequests().findLast((request) => request.type === 'LIST');

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
        ['--endpoint-url', proxy.endpoint, 'stats', 'regional', '--no-cache'],
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
    proxy.setRules([{ fault: 'wrong-region', bucketRegion: 'eu-central-1' }]);
    const run = await dg(['--region', 'us-east-1', 'stats', 'regional', '--no-cache']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(signedRegion(lastListing())).toBe('eu-central-1');
  });

  it("names the bucket's region when the redirect cannot be followed", async () => {
    proxy.setRules([{ fault: 'wrong-region', bucketRegion: 'eu-central-1', hideRegion: true }]);
    const run = await dg(['--region', 'us-east-1', 'stats', 'regional', '--no-cache']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'deltaglider: error: bucket "regional" is in another region (eu-central-1): pass --region eu-central-1\n',
    );
  });
});
