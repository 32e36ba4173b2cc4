import { createHash } from 'node:crypto';
import { factsKeyOf } from '@deltaglider/core';
import type { SeedObject } from '@deltaglider/test-s3-server';

/**
 * A DeltaGlider-shaped bucket, generated: `deltaspaces` directories, each with a reference and
 * `versions` deltas (the first the zero-diff delta of the reference). Like release archives,
 * originals grow a little with each version (about 0.1 %), and deltas grow with the distance
 * from the reference; both carry some noise. Deterministic, so every run sees the same bucket.
 */
export interface CorpusShape {
  readonly deltaspaces: number;
  readonly versions: number;
}

export interface CorpusEntry {
  readonly key: string;
  /** Bytes stored. */
  readonly size: number;
  /** The original size (deltas only), as `dg-file-size` carries it. */
  readonly originalSize?: number;
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** A stable pseudo-random number in [0, 1) for a pair of integers. */
function noise(a: number, b: number): number {
  let hash = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  return (hash >>> 0) / 4294967296;
}

export function referenceSizeOf(deltaspace: number): number {
  return 48 * 1024 + Math.floor(noise(deltaspace, -1) * 32 * 1024);
}

export function corpusEntry(deltaspace: number, position: number): CorpusEntry {
  const directory = `releases/app-${pad(deltaspace, 5)}`;
  const reference = referenceSizeOf(deltaspace);
  if (position === 0) return { key: `${directory}/reference.bin`, size: reference };
  const version = position - 1;
  const originalSize = Math.round(
    reference * (1 + 0.001 * version + (noise(deltaspace, version) - 0.5) * 0.001),
  );
  const size =
    version === 0
      ? 58
      : Math.round((200 + 20 * version) * (0.9 + 0.2 * noise(version, deltaspace)));
  return { key: `${directory}/v-${pad(version, 5)}.zip.delta`, size, originalSize };
}

export function* corpusEntries(shape: CorpusShape): Generator<CorpusEntry> {
  for (let deltaspace = 0; deltaspace < shape.deltaspaces; deltaspace++) {
    for (let position = 0; position <= shape.versions; position++)
      yield corpusEntry(deltaspace, position);
  }
}

/** The corpus as objects for the S3 server: zero-filled bodies, real metadata. */
export function* corpusSeedObjects(shape: CorpusShape): Generator<SeedObject> {
  for (const entry of corpusEntries(shape)) {
    yield {
      key: entry.key,
      body: new Uint8Array(entry.size),
      ...(entry.originalSize === undefined
        ? {}
        : { metadata: { 'dg-file-size': String(entry.originalSize) } }),
    };
  }
}

/** What detailed stats must report for the corpus: the ground truth for estimate quality. */
export function corpusTotalSize(shape: CorpusShape): number {
  let total = 0;
  for (const entry of corpusEntries(shape)) total += entry.originalSize ?? 0;
  return total;
}

/**
 * The listing-facts entries deltaglider_proxy 2.0 keeps for the corpus: one zero-byte object per
 * delta, carrying its stored ETag (the MD5 of its zero-filled body) and its original size.
 */
export function* corpusFactsSeedObjects(shape: CorpusShape): Generator<SeedObject> {
  const md5OfZeros = new Map<number, string>();
  for (const entry of corpusEntries(shape)) {
    if (entry.originalSize === undefined) continue;
    let storedEtag = md5OfZeros.get(entry.size);
    if (storedEtag === undefined) {
      storedEtag = createHash('md5').update(new Uint8Array(entry.size)).digest('hex');
      md5OfZeros.set(entry.size, storedEtag);
    }
    const key = factsKeyOf({
      storedKey: entry.key,
      storedEtag,
      storedSize: entry.size,
      originalSize: entry.originalSize,
      originalEtag: createHash('md5').update(entry.key).digest('hex'),
    });
    if (key !== undefined) yield { key, body: new Uint8Array(0) };
  }
}
