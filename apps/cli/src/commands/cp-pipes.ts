import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type DeltaGliderClient, processTempDirectory, type UploadResult } from '@deltaglider/sdk';
import type { CliIo, OutputStream } from '../cli-io.js';

/**
 * `cp - s3://b/k`: standard input goes to a private temp file first, then up like any file.
 * A delta needs its whole input (xdelta3 reads it more than once) and the upload must know its
 * size, so it is spooled to disk, never held in memory; the file goes when the copy ends.
 */
export async function uploadStandardInput(
  client: DeltaGliderClient,
  io: CliIo,
  target: { bucket: string; key: string; maxRatio: number; signal: AbortSignal | undefined },
): Promise<UploadResult> {
  if (!io.stdin) throw new Error('no standard input to read');
  const stdin = io.stdin;
  return withTempFile(async (spooled) => {
    await pipeline(
      stdin,
      createWriteStream(spooled),
      target.signal ? { signal: target.signal } : {},
    );
    return client.upload(spooled, target.bucket, target.key, {
      maxRatio: target.maxRatio,
      signal: target.signal,
    });
  });
}

/**
 * `cp s3://b/k -`: rebuilt and verified into a private temp file first, so standard output
 * only ever gets the whole, checked file; then streamed out.
 */
export async function downloadToStandardOutput(
  client: DeltaGliderClient,
  io: CliIo,
  source: { bucket: string; key: string; signal: AbortSignal | undefined },
): Promise<void> {
  await withTempFile(async (rebuilt) => {
    await client.download(source.bucket, source.key, rebuilt, { signal: source.signal });
    for await (const chunk of createReadStream(rebuilt, { signal: source.signal }))
      await writeWaiting(io.stdout, chunk as Uint8Array);
  });
}

/** A file in this process's temp directory, which goes on exit or with the next run if killed. */
async function withTempFile<T>(work: (path: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(processTempDirectory(), 'pipe-'));
  try {
    return await work(join(directory, 'stdin'));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Writes a chunk, waiting while the reader is behind, so memory stays one chunk. */
async function writeWaiting(stream: OutputStream, chunk: Uint8Array): Promise<void> {
  if (stream.write(chunk) !== false || !stream.once) return;
  await new Promise<void>((resolve) => stream.once?.('drain', resolve));
}
