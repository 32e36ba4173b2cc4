import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testCredentialsEnv, useS3TestBed } from './test-support/s3-test-bed.js';

// The AWS configuration as the AWS CLI reads it, and S3's refusals in its own words; against the
// S3 test server, with no --endpoint-url on any command line here.

const bed = useS3TestBed();
let home: string;
let config: string;

const keys = ['aws_access_key_id = test', 'aws_secret_access_key = test'];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'dg-aws-config-'));
  config = join(home, 'config');
  await writeFile(
    config,
    [
      // A profile named brings its own credentials, as with the AWS CLI.
      '[profile local]',
      `endpoint_url = ${bed.server.endpoint}`,
      ...keys,
      '[profile via-services]',
      'services = test-server',
      ...keys,
      '[profile faulty]',
      `endpoint_url = ${bed.proxy.endpoint}`,
      ...keys,
      '[services test-server]',
      's3 =',
      `  endpoint_url = ${bed.server.endpoint}`,
      '',
    ].join('\n'),
  );
  await bed.server.createBucket('configured');
  await writeFile(join(home, 'notes.txt'), 'notes');
});
afterAll(() => rm(home, { recursive: true, force: true }));

const dg = (args: string[], env: Record<string, string> = {}) =>
  runDeltaglider(args, {
    ...testCredentialsEnv,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    ...env,
  });

describe('endpoints named by the AWS configuration', () => {
  it("goes where --profile's endpoint_url says", async () => {
    const upload = await dg([
      '--profile',
      'local',
      'cp',
      join(home, 'notes.txt'),
      's3://configured/a/',
    ]);
    expect(upload.stderr).toBe('');
    expect(upload.code).toBe(0);
    const listed = await dg(['--profile', 'local', 'ls', 's3://configured/a/']);
    expect(listed.stdout).toMatch(/ notes\.txt\n$/);
  });

  it("goes where the profile's [services] section says, the profile named by AWS_PROFILE", async () => {
    const listed = await dg(['ls', 's3://configured/a/'], { AWS_PROFILE: 'via-services' });
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(/ notes\.txt\n$/);
  });

  it('goes where AWS_ENDPOINT_URL_S3 says', async () => {
    const listed = await dg(['ls', 's3://configured/a/'], {
      AWS_ENDPOINT_URL_S3: bed.server.endpoint,
    });
    expect(listed).toMatchObject({ code: 0, stderr: '' });
  });

  it('says which profile is missing, and where it looked', async () => {
    const run = await dg(['--profile', 'loacl', 'ls', 's3://configured/']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`deltaglider: usage error: profile 'loacl' not found in ${config}\n`);
  });
});

describe("S3's refusals, with their code and the request refused", () => {
  const viaProxy = (args: string[]) => dg(['--profile', 'faulty', ...args]);

  it('access denied names the operation, the object and the code', async () => {
    bed.proxy.setRules([{ type: 'PUT', fault: 'access-denied' }]);
    const run = await viaProxy(['cp', join(home, 'notes.txt'), 's3://configured/denied/notes.txt']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'deltaglider: error: access denied (PutObject s3://configured/denied/notes.txt): AccessDenied\n',
    );
  });

  it('an unknown access key says so', async () => {
    bed.proxy.setRules([{ fault: 'unknown-access-key' }]);
    const run = await viaProxy(['ls', 's3://configured/']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'deltaglider: error: InvalidAccessKeyId: the access key is not known to the server (ListObjectsV2 bucket "configured")\n',
    );
  });

  it('a wrong secret key says to check it', async () => {
    bed.proxy.setRules([{ fault: 'wrong-secret-key' }]);
    const run = await viaProxy(['ls', 's3://configured/']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'deltaglider: error: SignatureDoesNotMatch: check the secret key (ListObjectsV2 bucket "configured")\n',
    );
  });
});
