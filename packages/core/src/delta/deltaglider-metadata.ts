import { readMetadataField, readMetadataSize } from '../metadata/read-metadata-field.js';

// The user metadata the Python DeltaGlider writes, by object kind (design.md §2): names and value
// formats exactly as it writes them, so each tool reads the other's objects.

export interface MetadataContext {
  /** `deltaglider/<version>` */
  readonly tool: string;
  readonly now: Date;
}

/** ISO-8601 UTC with microseconds, as Python's `isoformat()` plus `Z`. */
export function formatCreatedAt(now: Date): string {
  return now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function referenceMetadata(
  context: MetadataContext,
  file: { name: string; sha256: string },
): Record<string, string> {
  return {
    'dg-tool': context.tool,
    'dg-source-name': file.name,
    'dg-file-sha256': file.sha256,
    'dg-created-at': formatCreatedAt(context.now),
    'dg-note': 'reference',
  };
}

export function deltaMetadata(
  context: MetadataContext,
  delta: {
    name: string;
    sha256: string;
    size: number;
    referenceKey: string;
    referenceSha256: string;
    deltaSize: number;
    zeroDiff: boolean;
    /** The encoder without its files, e.g. `xdelta3 -e -3`. */
    encoderCommand: string;
  },
): Record<string, string> {
  return {
    'dg-tool': context.tool,
    'dg-original-name': delta.name,
    'dg-file-sha256': delta.sha256,
    'dg-file-size': String(delta.size),
    'dg-created-at': formatCreatedAt(context.now),
    'dg-ref-key': delta.referenceKey,
    'dg-ref-sha256': delta.referenceSha256,
    'dg-delta-size': String(delta.deltaSize),
    'dg-delta-cmd': `${delta.encoderCommand} -s reference.bin ${delta.name} ${delta.name}.delta`,
    ...(delta.zeroDiff ? { 'dg-note': 'zero-diff (reference identical)' } : {}),
  };
}

export function directMetadata(
  context: MetadataContext,
  file: { name: string; sha256: string; size: number },
): Record<string, string> {
  return {
    'dg-tool': context.tool,
    'dg-original-name': file.name,
    'dg-file-sha256': file.sha256,
    'dg-file-size': String(file.size),
    'dg-created-at': formatCreatedAt(context.now),
    'dg-compression': 'none',
  };
}

/** What a stored object's metadata says about the file it holds, in any spelling. */
export function describeStoredFile(metadata: Readonly<Record<string, string>>) {
  return {
    sha256: readMetadataField(metadata, 'file-sha256')?.toLowerCase(),
    size: readMetadataSize(metadata, 'file-size'),
    referenceKey: readMetadataField(metadata, 'ref-key'),
    referenceSha256: readMetadataField(metadata, 'ref-sha256')?.toLowerCase(),
    originalName: readMetadataField(metadata, 'original-name'),
  };
}
