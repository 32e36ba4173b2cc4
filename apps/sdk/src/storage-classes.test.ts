import { useS3TestBed } from '@deltaglider/test-s3-server';
import { describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';

// The bill prices bytes by storage class; a lifecycle rule moves objects between classes
// without changing their ETags. Stats total every listed byte by class, and a cache whose
// listing differs only in a class is recomputed. (The test server keeps classes through our
// stand-in: packages/test-s3-server/src/storage-classes.ts.)

const bed = useS3TestBed();

/** A PUT as any S3 client sends it (the test server checks no signature). */
async function put(bucket: string, key: string, bytes: number, storageClass?: string) {
  const response = await fetch(`${bed.server.endpoint}/${bucket}/${key}`, {
    method: 'PUT',
    body: new Uint8Array(bytes).fill(7),
    headers: storageClass ? { 'x-amz-storage-class': storageClass } : {},
  });
  expect(response.status).toBe(200);
}

describe('storage classes', () => {
  it('are totalled from the listing, and a class change alone makes the cache stale', async () => {
    await bed.server.createBucket('classes');
    await put('classes', 'app/reference.bin', 1000);
    await put('classes', 'app/v1.zip.delta', 40);
    await put('classes', 'notes.txt', 7);
    const client = createClient({
      endpoint: bed.server.endpoint,
      s3: { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
      localStatsCache: false,
    });
    const first = await client.getBucketStats('classes');
    expect(first.storageClasses).toEqual([{ storageClass: 'STANDARD', objects: 3, bytes: 1047 }]);
    expect((await client.getBucketStats('classes')).cache.status).toBe('hit');

    // The same bytes again, in another class: same key, size and ETag.
    await put('classes', 'app/reference.bin', 1000, 'STANDARD_IA');
    const moved = await client.getBucketStats('classes');
    expect(moved.cache.status).toBe('stale');
    expect(moved.storageClasses).toEqual([
      { storageClass: 'STANDARD_IA', objects: 1, bytes: 1000 },
      { storageClass: 'STANDARD', objects: 2, bytes: 47 },
    ]);
    expect(moved.compressedSize).toBe(first.compressedSize);
    expect((await client.getBucketStats('classes')).storageClasses).toEqual(moved.storageClasses);
  });
});
