import type { FileHandle } from 'node:fs/promises';

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

export function encodeObjectFile(header: ObjectFileHeader, body: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, length, json, body]);
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
