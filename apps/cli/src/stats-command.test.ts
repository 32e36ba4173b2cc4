import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { statsJsonSchema } from '@deltaglider/sdk';
import { loadFixtureBucket } from '@deltaglider/test-fixtures';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';
import { testStoreAt } from './test-support/s3-test-bed.js';

// The `deltaglider` binary, run as a child process the way users run it, against the real S3
// test server and a file:// store.

let server: TestS3Server;
let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startTestS3Server();
  root = await mkdtemp(join(tmpdir(), 'dg-cli-'));
  env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
  const s3 = testStoreAt(server.endpoint);
  await server.createBucket('fixture');
  await loadFixtureBucket(s3, 'fixture');
  await server.createBucket('empty');
  const fs = createFsObjectStore({ root });
  await fs.createBucket('local');
  await loadFixtureBucket(fs, 'local');
  await fs.put('local', 'old/reference.bin', new Uint8Array(4000));
});

afterAll(async () => {
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

const onS3 = (...args: string[]) => ['--endpoint-url', server.endpoint, ...args];

/** The JSON Schema the SDK package ships, found as a user's program would find it. */
async function shippedStatsSchema(): Promise<object> {
  const path = createRequire(import.meta.url).resolve('@deltaglider/sdk/stats-json.schema.json');
  return JSON.parse(await readFile(path, 'utf8'));
}

describe('deltaglider stats against the S3 server', () => {
  it('prints exact detailed stats as pure JSON, then answers from the cache with one LIST and one GET', async () => {
    const first = await runDeltaglider(onS3('stats', 'fixture', '--detailed', '--json'), env);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    const stats = JSON.parse(first.stdout);
    expect(stats).toMatchObject({
      bucket: 'fixture',
      object_count: 13,
      delta_objects: 11,
      direct_objects: 2,
      total_size: 873433,
      compressed_size: 202779,
      space_saved: 670654,
      mode: 'detailed',
      total_size_estimated: false,
      cache: { status: 'miss', written: true },
    });
    expect(stats.average_compression_ratio).toBeCloseTo(0.76784, 4);

    server.resetRequests();
    const second = await runDeltaglider(
      // --detailed is an alias of --mode detailed: the same cache answers.
      onS3('stats', 's3://fixture/', '--mode', 'detailed', '--json'),
      env,
    );
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      total_size: 873433,
      cache: { status: 'hit' },
    });
    expect(server.requestCounts()).toEqual({ LIST: 1, GET: 1 });
  });

  it('gives quick stats a non-zero ratio flagged as estimated, in words and bytes', async () => {
    const run = await runDeltaglider(onS3('stats', 's3://fixture', '--no-cache'), env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('s3://fixture/  (quick stats)');
    expect(run.stdout).toMatch(/Objects\s+13\s+\(11 delta, 2 direct\)/);
    expect(run.stdout).toMatch(/Stored\s+198 KiB\s+\(202,779 bytes\)/);
    expect(run.stdout).toMatch(/Original .*estimated for 11 of 11 deltas/);
    expect(run.stdout).toMatch(/Saved .*\d+\.\d %/);
    expect(run.stdout).toContain('cache not used (--no-cache)');
  });

  it('prints all zeros for an empty bucket and exits 0', async () => {
    const run = await runDeltaglider(onS3('stats', 'empty', '--json'), env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      object_count: 0,
      total_size: 0,
      average_compression_ratio: 0,
    });
  });

  it('exits 1 with one line naming a missing bucket, and prints nothing on stdout', async () => {
    const run = await runDeltaglider(onS3('stats', 'no-such-bucket', '--json'), env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('deltaglider: error: bucket "no-such-bucket" does not exist\n');
  });

  it('logs phase timings on stderr with DG_LOG_LEVEL=info, keeping stdout pure JSON', async () => {
    const run = await runDeltaglider(onS3('stats', 'fixture', '--sampled', '--json', '--refresh'), {
      ...env,
      DG_LOG_LEVEL: 'info',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).cache.status).toBe('refreshed');
    expect(run.stderr).toMatch(
      /deltaglider: info: stats computed: list \d+ ms, cache write \d+ ms|heads \d+ ms/,
    );
    expect(run.stderr).toMatch(/"list_ms":\d+/);
  });
});

describe('deltaglider stats on a file:// store', () => {
  it('computes, then answers from the cache, and shows orphaned references with their removal', async () => {
    const args = ['--endpoint-url', `file://${root}`, 'stats', 'local'];
    const first = await runDeltaglider(args, env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Source\s+computed in [\d.]+ m?s, cached/);
    expect(first.stdout).toContain(
      "old/reference.bin  4,000 bytes  remove: aws s3 rm 's3://local/old/reference.bin'",
    );
    const second = await runDeltaglider(args, env);
    expect(second.stdout).toMatch(/Source\s+cache hit, computed (just now|\d+ s ago)/);
  });

  it('scopes stats to a prefix', async () => {
    const run = await runDeltaglider(
      [
        '--endpoint-url',
        `file://${root}`,
        'stats',
        's3://local/releases/lib',
        '--detailed',
        '--json',
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      prefix: 'releases/lib/',
      object_count: 3,
      total_size: 65536 + 66660 + 67784,
    });
  });

  it('reads the endpoint from DG_ENDPOINT_URL', async () => {
    const run = await runDeltaglider(['stats', 'local', '--json'], {
      ...env,
      DG_ENDPOINT_URL: `file://${root}`,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).object_count).toBe(13);
  });
});

describe('deltaglider ls --summarize', () => {
  it('totals what the bill counts: the files listed plus the references and caches it hides', async () => {
    const s3 = testStoreAt(server.endpoint);
    await server.createBucket('billed');
    await loadFixtureBucket(s3, 'billed');
    const onS3 = ['--endpoint-url', server.endpoint];
    expect((await runDeltaglider([...onS3, 'stats', 'billed'], env)).code).toBe(0); // a cache too
    const everything = (await s3.list('billed')).objects; // under 1,000 keys: one page
    const hiddenObjects = everything.filter(
      (object) => object.key.endsWith('reference.bin') || object.key.startsWith('.deltaglider/'),
    );
    // Both kinds are there: the fixture's references and the cache the stats call wrote.
    expect(hiddenObjects.some((object) => object.key.startsWith('.deltaglider/'))).toBe(true);
    expect(hiddenObjects.length).toBeGreaterThan(1);
    const stored = everything.reduce((sum, object) => sum + object.size, 0);
    const hiddenBytes = hiddenObjects.reduce((sum, object) => sum + object.size, 0);
    const files = everything.length - hiddenObjects.length;
    const run = await runDeltaglider([...onS3, 'ls', '-r', '--summarize', 's3://billed/'], env);
    expect(run.code).toBe(0);
    const tail = run.stdout.slice(run.stdout.lastIndexOf('\nTotal Objects:'));
    expect(tail).toBe(
      `\nTotal Objects: ${files}\n   Total Size: ${stored}\n    Of which: ${stored - hiddenBytes} in the ${files} files listed, ${hiddenBytes} in ${hiddenObjects.length} reference.bin and internal objects (hidden)\n`,
    );
  });
});

describe('deltaglider usage', () => {
  it.each([
    [
      ['stats', 'b-1', '--sampled', '--detailed'],
      '--sampled and --detailed cannot be used together',
    ],
    [
      ['stats', 'b-1', '--refresh', '--no-cache'],
      '--refresh and --no-cache cannot be used together',
    ],
    [['stats', 'b-1', '--bogus'], 'unknown option --bogus'],
    [['stats'], 'Not enough non-option arguments'],
    [['stats', 'Bad_Bucket'], 'invalid bucket name "Bad_Bucket"'],
    [['stats', 'gs://bucket'], 'is not an S3 URL'],
    [['stats', 'bucket/prefix'], 'to name a prefix, use s3://bucket/prefix'],
    [['stats', 'b-1', '--concurrency', '0'], '--concurrency must be a whole number of at least 1'],
    [
      ['stats', 'b-1', '--list-concurrency', '0'],
      '--list-concurrency must be a whole number of at least 1',
    ],
    [['stats', 'b-1', '--max-age', 'soon'], '--max-age must be a number of at least 0'],
    [
      ['stats', 'b-1', '--mode', 'exact'],
      'Invalid values: Argument: mode, Given: "exact", Choices: "quick", "sampled", "detailed"',
    ],
    [
      ['stats', 'b-1', '--mode', 'quick', '--detailed'],
      '--mode quick and --detailed cannot be used together',
    ],
    [['frobnicate'], 'Unknown argument: frobnicate'],
    [[], 'name a command'],
    [['--endpoint-url', 'ftp://host', 'stats', 'b-1'], 'invalid endpoint "ftp://host"'],
  ])('exits 2 with one usage line for %j', async (args, message) => {
    const run = await runDeltaglider(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const [line, ...rest] = run.stderr.split('\n');
    expect(line).toMatch(/^deltaglider: usage error: /);
    expect(line).toContain(message);
    expect(rest).toEqual(['']);
  });

  it('prints help and version on stdout and exits 0', async () => {
    const help = await runDeltaglider(['stats', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('deltaglider stats <target>');
    expect(help.stdout).toContain('--mode');
    expect(help.stdout).toContain('--detailed');
    const version = await runDeltaglider(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});

describe('stats --json, against the schema the SDK ships', () => {
  it('validates with the JSON Schema and with the zod schema it is generated from', async () => {
    const validate = new Ajv2020.default({ strict: false }).compile(await shippedStatsSchema());
    for (const args of [
      onS3('stats', 'fixture', '--detailed', '--json', '--refresh'),
      onS3('stats', 'fixture', '--json'),
      onS3('stats', 'empty', '--json'),
      ['stats', 'local', '--json', '--endpoint-url', `file://${root}`],
    ]) {
      const run = await runDeltaglider(args, env);
      expect(run.code, run.stderr).toBe(0);
      const document = JSON.parse(run.stdout);
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
      expect(statsJsonSchema.safeParse(document).error).toBeUndefined();
    }
    // It can fail: a document without the Python tool's fields does not validate.
    expect(validate({ bucket: 'x', schema_version: 2 })).toBe(false);
  });
});
