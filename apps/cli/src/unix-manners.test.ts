import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaglider } from './test-support/run-deltaglider.js';

// What a shell user expects of any command-line tool.

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dg-unix-'));
  const store = createFsObjectStore({ root });
  await store.createBucket('many');
  for (let index = 0; index < 3000; index++)
    await store.put('many', `k/${String(index).padStart(5, '0')}.txt`, new Uint8Array([1]));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('unix manners', () => {
  it('stops quietly (exit 0, nothing on stderr) when its reader goes away: ls -r | head -1', async () => {
    const child = spawn(
      process.execPath,
      [bin, '--endpoint-url', `file://${root}`, 'ls', '-r', 's3://many/'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // Like `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints its own version with --version', async () => {
    const own = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const run = await runDeltaglider(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${own.version}\n`, stderr: '' });
  });
});

describe('ls, as aws s3 ls answers', () => {
  const ls = (...args: string[]) =>
    runDeltaglider(['--endpoint-url', `file://${root}`, 'ls', ...args]);

  it('prints times in local time, as aws s3 ls does', async () => {
    const head = await createFsObjectStore({ root }).head('many', 'k/00000.txt');
    const modified = head?.lastModified ?? new Date(Number.NaN);
    // Kolkata is 5:30 ahead of UTC all year: a UTC time can never pass for it.
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Kolkata',
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(modified)
        .map((part) => [part.type, part.value]),
    );
    const local = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
    const run = await runDeltaglider(
      ['--endpoint-url', `file://${root}`, 'ls', 's3://many/k/0000'],
      {
        TZ: 'Asia/Kolkata',
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^${local} +1 00000\\.txt$`));
  });

  it('summarizes with plain numbers, units only with -h', async () => {
    const plain = await ls('-r', '--summarize', 's3://many/');
    expect(plain.stdout.endsWith('\nTotal Objects: 3000\n   Total Size: 3000\n')).toBe(true);
    const human = await ls('-r', '-h', '--summarize', 's3://many/');
    expect(human.stdout).toMatch(/\nTotal Objects: 3000\n {3}Total Size: .*KiB\n$/);
  });

  it('exits 1 on a prefix that matches nothing, with one line saying so', async () => {
    expect(await ls('s3://many/nothing-here/')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'deltaglider: error: nothing under s3://many/nothing-here/\n',
    });
  });

  it('takes -h as --help, for the tool and for each command but ls (where -h is human sizes)', async () => {
    const top = await runDeltaglider(['-h']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('deltaglider <command> [options]');
    const stats = await runDeltaglider(['stats', '-h']);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain('--detailed');
    const ls = await runDeltaglider([
      '--endpoint-url',
      `file://${root}`,
      'ls',
      '-h',
      's3://many/k/',
    ]);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain('00000.txt');
  });

  it('accepts --no-color (its output never has colour)', async () => {
    const run = await runDeltaglider([
      '--no-color',
      '--endpoint-url',
      `file://${root}`,
      'ls',
      's3://many/k/',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b[');
  });
});
