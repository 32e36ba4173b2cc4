import type { BodySource } from '@deltaglider/core';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3ObjectStore } from './s3-object-store.js';

// Multipart uploads against the real test server: parts are cut as configured, and a failed or
// aborted upload is aborted on the server, so no parts are left behind to be billed.

const MIB = 1024 * 1024;
let server: TestS3Server;

beforeAll(async () => {
  server = await startTestS3Server();
  await server.createBucket('parts');
});
afterAll(async () => {
  await server.stop();
});

const store = () =>
  createS3ObjectStore({
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    conditionalPut: true,
    multipart: { threshold: 8 * MIB, partSize: 5 * MIB, concurrency: 2 },
  });

/** `size` bytes that fail to read past `failAt`, or stall there until `signal` aborts. */
function source(size: number, options: { failAt?: number; stallAt?: number } = {}): BodySource {
  const bytes = Buffer.alloc(size, 7);
  return {
    size,
    async *read(range) {
      const end = range?.end ?? size;
      for (let offset = range?.start ?? 0; offset < end; offset += MIB) {
        if (options.failAt !== undefined && offset >= options.failAt)
          throw new Error('read failed');
        if (options.stallAt !== undefined && offset >= options.stallAt)
          await new Promise((resolve) => setTimeout(resolve, 60_000));
        yield bytes.subarray(offset, Math.min(end, offset + MIB));
      }
    },
  };
}

const uploadRequests = () =>
  server.requests.filter(
    (request) => request.url.includes('uploadId') || request.url.includes('uploads'),
  );

describe('multipart uploads', () => {
  it('cuts a 22 MiB body into 5 MiB parts and completes with a -N ETag', async () => {
    server.resetRequests();
    const { etag } = await store().put('parts', 'whole.bin', source(22 * MIB));
    expect(etag).toMatch(/^"[0-9a-f]{32}-5"$/);
    const puts = uploadRequests().filter((request) => request.method === 'PUT');
    expect(puts).toHaveLength(5);
    expect((await store().head('parts', 'whole.bin'))?.size).toBe(22 * MIB);
  });

  it('aborts the upload on the server when a part cannot be read', async () => {
    server.resetRequests();
    await expect(
      store().put('parts', 'failed.bin', source(22 * MIB, { failAt: 12 * MIB })),
    ).rejects.toThrow('read failed');
    const aborts = uploadRequests().filter((request) => request.method === 'DELETE');
    expect(aborts).toHaveLength(1);
    expect(await store().head('parts', 'failed.bin')).toBeNull();
  });

  it('aborts the upload on the server when the caller aborts (Ctrl-C)', async () => {
    server.resetRequests();
    const controller = new AbortController();
    const put = store().put('parts', 'stopped.bin', source(22 * MIB, { stallAt: 11 * MIB }), {
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort(new DOMException('stopped', 'AbortError'));
    await expect(put).rejects.toThrow();
    const aborts = uploadRequests().filter((request) => request.method === 'DELETE');
    expect(aborts).toHaveLength(1);
    expect(await store().head('parts', 'stopped.bin')).toBeNull();
  }, 10_000);
});

describe('part buffers across uploads', () => {
  it('holds at most `concurrency` parts in flight for the whole store, however many files', async () => {
    const shared = store();
    let inFlight = 0;
    let most = 0;
    /** A source that counts part reads in progress until each part's request would be sent. */
    const counted = (size: number): BodySource => {
      const bytes = Buffer.alloc(size, 3);
      return {
        size,
        async *read(range) {
          inFlight++;
          most = Math.max(most, inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 20));
            yield bytes.subarray(range?.start ?? 0, range?.end ?? size);
          } finally {
            inFlight--;
          }
        },
      };
    };
    await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        shared.put('parts', `many-${index}.bin`, counted(16 * MIB)),
      ),
    );
    // concurrency 2 in this file's store: 4 files x 4 parts, never more than 2 read at once.
    expect(most).toBe(2);
  });
});
