import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import type { BodySource, PutBody } from '@deltaglider/core';
import { bytesSource } from '@deltaglider/core/adapter-kit';

// One object is one file: a small header (magic, JSON length, JSON) then the bytes. Data and
// metadata change together in a single rename, and a reader holding the file open keeps a
// consistent version even while a writer replaces it.

const MAGIC = Buffer.from('DGO1', 'latin1');
const PREFIX_BYTES = MAGIC.length + 4;
// S3 allows 2 KiB of user metadata, so one read almost always covers the whole header.
const FIRST_READ_BYTES = 8192;

export interface ObjectFileHeader {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
}

function encodeHeader(header: ObjectFileHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, length, json]);
}

// An ETag is known only once the bytes went by; a placeholder of the same length holds its
// place in the header, which is rewritten in place at the end.
const ETAG_PLACEHOLDER = `"${'0'.repeat(32)}"`;

/**
 * Writes an object file at `path` (a new file), streaming the body: memory does not grow with
 * its size. Returns the ETag (MD5 of the bytes, as S3 gives a single PUT).
 */
export async function writeObjectFile(
  path: string,
  header: Omit<ObjectFileHeader, 'etag' | 'size'>,
  body: PutBody,
  signal: AbortSignal | undefined,
): Promise<string> {
  const source: BodySource = body instanceof Uint8Array ? bytesSource(body) : body;
  const handle = await open(path, 'wx');
  try {
    const placeholder = encodeHeader({ ...header, size: source.size, etag: ETAG_PLACEHOLDER });
    await handle.write(placeholder, 0, placeholder.length, 0);
    const md5 = createHash('md5');
    let position = placeholder.length;
    for await (const chunk of source.read()) {
      signal?.throwIfAborted();
      md5.update(chunk);
      await handle.write(chunk, 0, chunk.byteLength, position);
      position += chunk.byteLength;
    }
    const written = position - placeholder.length;
    if (written !== source.size)
      throw new Error(`the body declared ${source.size} bytes but delivered ${written}`);
    const etag = `"${md5.digest('hex')}"`;
    const final = encodeHeader({ ...header, size: source.size, etag });
    await handle.write(final, 0, final.length, 0);
    return etag;
  } finally {
    await handle.close();
  }
}

/** Reads the header; the object's bytes start at `dataOffset`. */
export async function readObjectFileHeader(
  handle: FileHandle,
): Promise<{ header: ObjectFileHeader; dataOffset: number }> {
  const first = Buffer.alloc(FIRST_READ_BYTES);
  const { bytesRead } = await handle.read(first, 0, FIRST_READ_BYTES, 0);
  if (bytesRead < PREFIX_BYTES || !first.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('not a DeltaGlider object file');
  }
  const jsonLength = first.readUInt32BE(MAGIC.length);
  const dataOffset = PREFIX_BYTES + jsonLength;
  let json = first.subarray(PREFIX_BYTES, Math.min(bytesRead, dataOffset));
  if (json.length < jsonLength) {
    const whole = Buffer.alloc(jsonLength);
    await handle.read(whole, 0, jsonLength, PREFIX_BYTES);
    json = whole;
  }
  return { header: JSON.parse(json.toString('utf8')) as ObjectFileHeader, dataOffset };
}
