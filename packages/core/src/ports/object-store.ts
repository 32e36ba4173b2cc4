/**
 * The storage port. Every adapter (memory, directory, S3) implements it with S3's semantics,
 * and the shared contract suite (`@deltaglider/object-store-contract`) enforces each rule
 * written here. Keys are compared and listed in UTF-8 byte order, as S3 does.
 *
 * Errors: adapters reject only with `ObjectStoreError` subclasses (`BucketNotFoundError`,
 * `AccessDeniedError`, `PreconditionFailedError`, `InvalidKeyError`, `InvalidArgumentError`,
 * `StoreUnavailableError`), never with a provider's own error type.
 */
export interface ObjectStore {
  readonly capabilities: ObjectStoreCapabilities;

  /**
   * Metadata of one object.
   * - A missing key resolves `null`.
   * - A missing bucket rejects with `BucketNotFoundError` where the protocol can tell it apart
   *   from a missing key; S3 answers HEAD with a bare 404 for both, so over S3 it resolves `null`.
   */
  head(bucket: string, key: string, options?: RequestOptions): Promise<ObjectHead | null>;

  /**
   * One object's metadata and bytes.
   * - A missing key resolves `null`; a missing bucket rejects with `BucketNotFoundError`.
   * - The body is read lazily: a caller that stops iterating early releases the connection.
   */
  get(bucket: string, key: string, options?: RequestOptions): Promise<StoredObject | null>;

  /**
   * Writes one object whole, replacing any object under that key.
   * - The body is bytes in memory or a `BodySource` read as it is sent (it may be read more than
   *   once: retries, parts), so an object never has to fit in memory. Either way the object
   *   appears whole or not at all.
   * - User metadata keys are stored lower-cased; values come back byte for byte.
   * - `onlyIfAbsent` and `ifMatch` are sent only when `capabilities.conditionalPut` is true; a
   *   lost condition rejects with `PreconditionFailedError` and changes nothing. Whether a
   *   server really enforces them is not the adapter's word: core probes it
   *   (`ConditionalWrites`), as many S3-compatible servers accept the headers and ignore them.
   * - A missing bucket rejects with `BucketNotFoundError`.
   */
  put(bucket: string, key: string, body: PutBody, options?: PutOptions): Promise<PutResult>;

  /**
   * One page of a listing, in UTF-8 byte order of keys.
   * - At most `min(maxKeys, 1000)` entries (objects plus common prefixes).
   * - With a delimiter, keys that contain it after the prefix are rolled up into
   *   `commonPrefixes` (each once, in order with the objects).
   * - `nextCursor` is present exactly when the listing is truncated; passing it back as
   *   `cursor` returns the following page, so every key is seen exactly once.
   * - A missing bucket rejects with `BucketNotFoundError`.
   */
  list(bucket: string, options?: ListOptions): Promise<ListPage>;

  /**
   * Removes one object. Deleting a missing key resolves (S3 semantics).
   * - `ifMatch` (sent only with `capabilities.conditionalPut`): delete only while the object's
   *   ETag is this one; otherwise reject with `PreconditionFailedError` and change nothing (a
   *   missing key resolves).
   * - A missing bucket rejects with `BucketNotFoundError`.
   */
  delete(bucket: string, key: string, options?: DeleteOptions): Promise<void>;

  /**
   * Removes many objects, in as few requests as the store allows. Missing keys count as
   * deleted. Per-key failures are reported, not thrown; a missing bucket rejects.
   * Optional: `deleteObjects()` in core falls back to one `delete` per key.
   */
  deleteMany?(
    bucket: string,
    keys: readonly string[],
    options?: RequestOptions,
  ): Promise<DeleteManyResult>;

  /**
   * Whether the bucket keeps old versions (versioning) or forbids deleting them (Object Lock
   * default retention). Optional: stores without either omit it. `unknown` where asking was
   * denied.
   */
  bucketProtection?(bucket: string, options?: RequestOptions): Promise<BucketProtection>;

  /**
   * Removes the noncurrent versions of one key, keeping the current one; returns how many went.
   * Optional, with `bucketProtection`.
   */
  deleteNoncurrentVersions?(bucket: string, key: string, options?: RequestOptions): Promise<number>;

  /**
   * One page of every version of the keys under `prefix`, delete markers included, as S3's
   * ListObjectVersions gives them (a key's versions newest first). Optional: stores that keep
   * no versions (memory, a directory) omit it.
   */
  listVersions?(bucket: string, options?: ListVersionsOptions): Promise<VersionPage>;

  /**
   * One page of the multipart uploads begun and neither completed nor aborted under `prefix`
   * (S3's ListMultipartUploads). Their parts are billed until aborted. Optional, with
   * `listParts` and `abortUpload`: stores without multipart uploads omit all three.
   */
  listUploads?(bucket: string, options?: ListUploadsOptions): Promise<UploadPage>;

  /** The parts one unfinished upload holds so far (all pages of S3's ListParts). */
  listParts?(
    bucket: string,
    upload: UnfinishedUpload,
    options?: RequestOptions,
  ): Promise<UploadPart[]>;

  /** Aborts one unfinished upload: its parts are deleted. An upload already gone resolves. */
  abortUpload?(bucket: string, upload: UnfinishedUpload, options?: RequestOptions): Promise<void>;

  /**
   * The buckets the credentials can see, by name (`ls` with no target). Optional: a store
   * that cannot tell omits it, and `ls` says so.
   */
  listBuckets?(options?: RequestOptions): Promise<readonly BucketSummary[]>;
}

/** A listing of versions or of uploads: keys under `prefix`, from a page's `nextCursor` on. */
export interface MarkerListOptions extends RequestOptions {
  readonly prefix?: string | undefined;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

export type ListVersionsOptions = MarkerListOptions;

/** One version of a key, or a delete marker (which has no bytes). */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  /** Whether it is the key's current version (a delete marker can be). */
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly lastModified: Date;
  readonly storageClass?: string | undefined;
}

export interface VersionPage {
  readonly versions: readonly ObjectVersion[];
  /** Present exactly when more versions follow. */
  readonly nextCursor?: string;
}

export type ListUploadsOptions = MarkerListOptions;

/** A multipart upload begun and not finished: its key, its id and when it began. */
export interface UnfinishedUpload {
  readonly key: string;
  readonly uploadId: string;
  readonly initiated: Date;
  readonly storageClass?: string | undefined;
}

export interface UploadPage {
  readonly uploads: readonly UnfinishedUpload[];
  /** Present exactly when more uploads follow. */
  readonly nextCursor?: string;
}

export interface UploadPart {
  readonly partNumber: number;
  readonly size: number;
}

export interface BucketSummary {
  readonly name: string;
  /** When it was created, where the store knows. */
  readonly createdAt?: Date | undefined;
}

export interface BucketProtection {
  readonly versioning: 'enabled' | 'suspended' | 'off' | 'unknown';
  /** Object Lock with a default retention: every version written is kept for its period. */
  readonly defaultRetention: boolean | 'unknown';
}

export interface ObjectStoreCapabilities {
  /**
   * Whether `put` and `delete` send their conditions (`onlyIfAbsent`, `ifMatch`). When false they
   * are dropped. True does not promise the server enforces them: core probes that.
   */
  readonly conditionalPut: boolean;
}

export interface RequestOptions {
  readonly signal?: AbortSignal | undefined;
}

/** What HEAD returns for one object. */
export interface ObjectHead {
  readonly key: string;
  readonly size: number;
  /** As S3 returns it, with the surrounding double quotes (`"d41d8cd9…"`). */
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType: string | undefined;
  /** User metadata (`x-amz-meta-*` without the prefix), keys lower-cased. */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface StoredObject extends ObjectHead {
  readonly body: AsyncIterable<Uint8Array>;
}

/** What `put` stores: bytes in memory, or a source it streams from. */
export type PutBody = Uint8Array | BodySource;

/**
 * Bytes that can be read (again) from any offset without holding them: a local file, a spooled
 * delta. `size` is exact; `read` may be called any number of times.
 */
export interface BodySource {
  readonly size: number;
  /** The bytes from `start` (inclusive) to `end` (exclusive); default all of them. */
  read(range?: ByteRange): AsyncIterable<Uint8Array>;
  /**
   * The local file holding exactly these bytes, when there is one: programs that seek in their
   * input (xdelta3's source) read it directly instead of a copy.
   */
  readonly localPath?: string;
  /**
   * Copies bytes `range` into `into` at `at` without a stream, when the source can seek (a local
   * file): codecs reading a reference out of order use it; others read by range.
   */
  readInto?(into: Uint8Array, at: number, range: ByteRange, signal?: AbortSignal): Promise<void>;
  /**
   * Whether the bytes are still the ones there when the source was opened (a local file that
   * nobody wrote to meanwhile). Uploads ask after their last write, so a file changed while it
   * was read is never left stored as a mix of two versions.
   */
  unchanged?(): Promise<boolean>;
}

export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface PutOptions extends RequestOptions {
  readonly contentType?: string | undefined;
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** Write only when no object has this key (`If-None-Match: *`). */
  readonly onlyIfAbsent?: boolean | undefined;
  /** Write only when the current object's ETag equals this one (`If-Match`). */
  readonly ifMatch?: string | undefined;
}

export interface DeleteOptions extends RequestOptions {
  /** Delete only when the current object's ETag equals this one (`If-Match`). */
  readonly ifMatch?: string | undefined;
}

export interface PutResult {
  readonly etag: string;
}

export interface ListOptions extends RequestOptions {
  readonly prefix?: string | undefined;
  readonly delimiter?: string | undefined;
  /** List keys strictly after this one. Ignored when `cursor` is given. */
  readonly startAfter?: string | undefined;
  /** The `nextCursor` of the previous page. Opaque. */
  readonly cursor?: string | undefined;
  /** 1 to 1000; larger values are capped at 1000. Default 1000. */
  readonly maxKeys?: number | undefined;
}

/** One object as a listing shows it. */
export interface ObjectSummary {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
  /**
   * The storage class the listing names (`STANDARD`, `STANDARD_IA`, `GLACIER_IR`, ...), which
   * prices the bytes. Undefined where the store has none (memory, a directory): S3's default,
   * STANDARD, is then assumed.
   */
  readonly storageClass?: string | undefined;
}

export interface ListPage {
  readonly objects: readonly ObjectSummary[];
  readonly commonPrefixes: readonly string[];
  /** Present exactly when more entries follow. */
  readonly nextCursor?: string;
}

export interface DeleteManyResult {
  readonly deleted: readonly string[];
  readonly failed: readonly DeleteFailure[];
}

export interface DeleteFailure {
  readonly key: string;
  readonly code: string;
  readonly message: string;
}

/** S3 never returns more than this many entries in one listing page. */
export const MAX_LIST_PAGE_SIZE = 1000;
