import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { fixtureObjectPath, loadFixtureBucket } from '@deltaglider/test-fixtures';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Each example runs as a user would run it, against the S3 test server.

let server: TestS3Server;
let work: string;

beforeAll(async () => {
  server = await startTestS3Server();
  work = await mkdtemp(join(tmpdir(), 'dg-examples-'));
  const store = createS3ObjectStore({
    endpoint: server.endpoint,
    credentials: { accessKeyId: 't', secretAccessKey: 't' },
  });
  for (const bucket of ['monitored', 'reported', 'uploaded']) {
    await server.createBucket(bucket);
    await loadFixtureBucket(store, bucket);
  }
});
afterAll(async () => {
  await server.stop();
  await rm(work, { recursive: true, force: true });
});

function runExample(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCommand(process.execPath, [new URL(script, import.meta.url).pathname, ...args]);
}

/** Runs a command against the test server, as a user's shell would. */
function runCommand(
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: {
        ...extraEnv,
        PATH: process.env.PATH ?? '',
        HOME: work,
        DG_ENDPOINT_URL: server.endpoint,
        DG_CACHE_DIR: join(work, 'cache'),
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples', () => {
  it('monitor-savings polls, computing once and then hitting the cache', async () => {
    const run = await runExample('monitor-savings.mjs', ['monitored', '0.05', '3']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/monitored: 13 objects, \d+\.\d % saved \(miss\)$/);
    expect(lines[1]).toMatch(/\(hit\)$/);
    expect(lines[2]).toMatch(/\(hit\)$/);
  });

  it('ci-upload-check uploads as a delta, then passes or fails on the savings floor', async () => {
    const reference = await readFile(
      fixtureObjectPath('python-6.1.2-bucket-a', 'releases/app/reference.bin'),
    );
    const next = Buffer.concat([reference, Buffer.from('release 1.0.6 notes\n')]);
    await writeFile(join(work, 'app-1.0.6.zip'), next);
    const pass = await runExample('ci-upload-check.mjs', [
      join(work, 'app-1.0.6.zip'),
      's3://uploaded/releases/app/',
      '0.5',
    ]);
    expect(pass.stderr).toBe('');
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('uploaded releases/app/app-1.0.6.zip as delta');
    expect(pass.stdout).toMatch(/s3:\/\/uploaded\/releases\/app\/: 8 objects, \d+\.\d % saved/);

    await writeFile(join(work, 'app-1.0.7.zip'), Buffer.concat([next, Buffer.from('1.0.7\n')]));
    const fail = await runExample('ci-upload-check.mjs', [
      join(work, 'app-1.0.7.zip'),
      's3://uploaded/releases/app/',
      '0.999',
    ]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/below the 99\.9 % floor/);
  });

  it('prometheus-textfile.sh writes gauges a Prometheus parser reads, atomically', async () => {
    const cli = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url));
    const script = fileURLToPath(new URL('prometheus-textfile.sh', import.meta.url));
    const run = await runCommand('bash', [script, 'monitored', work, '0.1', '2'], {
      DELTAGLIDER: `node ${cli}`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = await readFile(join(work, 'deltaglider_monitored.prom'), 'utf8');
    const families = parsePrometheusTextFormat(text) as {
      name: string;
      metrics: { value: string }[];
    }[];
    expect(
      families.find((family) => family.name === 'deltaglider_objects')?.metrics[0]?.value,
    ).toBe('13');
  });

  it('detailed-refresh-report recomputes exact numbers and rewrites the cache', async () => {
    const run = await runExample('detailed-refresh-report.mjs', ['reported']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('objects   13 (11 delta, 2 direct)');
    expect(run.stdout).toContain('saved     0.64 MiB (76.8 %)');
    expect(run.stdout).toContain('cache     rewritten');
  });
});
