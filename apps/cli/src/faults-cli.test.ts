import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import {
  type FaultProxy,
  startFaultProxy,
  startTestS3Server,
  type TestS3Server,
} from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';

let server: TestS3Server;
let proxy: FaultProxy;
const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

beforeAll(async () => {
  server = await startTestS3Server();
  proxy = await startFaultProxy(server);
  await server.createBucket('stalled');
  await loadFixtureBucket(
    createS3ObjectStore({
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    'stalled',
  );
});
afterAll(async () => {
  await proxy.stop();
  await server.stop();
});

describe('deltaglider stats under faults', () => {
  it('ends at --timeout with one line saying how far it got, and caches nothing', async () => {
    proxy.setRules([{ type: 'HEAD', fault: 'stall' }]);
    const started = performance.now();
    const run = await runDeltaglider(
      ['--endpoint-url', proxy.endpoint, 'stats', 'stalled', '--detailed', '--timeout', '1'],
      env,
    );
    expect(performance.now() - started).toBeLessThan(8000);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'deltaglider: error: timed out after 1 s (16 objects listed); nothing was cached\n',
    );
    proxy.setRules([]);
    const listing = await runDeltaglider(
      ['--endpoint-url', server.endpoint, 'ls', '-r', 's3://stalled/.deltaglider/'],
      env,
    );
    expect(listing.stdout).toBe('');
  });

  it('exits 1 on a denied listing, never printing zeros', async () => {
    proxy.setRules([{ type: 'LIST', fault: 'access-denied' }]);
    const run = await runDeltaglider(
      ['--endpoint-url', proxy.endpoint, 'stats', 'stalled', '--json'],
      env,
    );
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'deltaglider: error: access denied to bucket "stalled"\n',
    });
  });
});
