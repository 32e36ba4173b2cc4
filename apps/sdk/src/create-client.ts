import { mkdir } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import {
  type AbortUploadsOptions,
  type AbortUploadsResult,
  abortUnfinishedUploads,
  type BucketStatsResult,
  type BucketSummary,
  type CachedStats,
  type ClearedCaches,
  type Clock,
  ConditionalWrites,
  clearStatsCache,
  collectGarbage,
  type DeltaCodec,
  type DeltaDependencies,
  type DownloadResult,
  downloadObject,
  type GarbageReport,
  type GetBucketStatsOptions,
  getBucketStats,
  getCacheStatus,
  getInventorySql,
  getInventoryStats,
  getStatsHistory,
  type InventorySqlRequest,
  type InventoryStats,
  ListingFactsKeeper,
  type ListingFactsSetting,
  type ListUserObjectsOptions,
  type LocalStatsCache,
  type Logger,
  latestInventoryReport,
  listUserObjects,
  type ModeCacheStatus,
  normalizePrefix,
  type ObjectStore,
  type RecursiveRemovalOptions,
  type ReferenceCache,
  type RemovalOptions,
  type RemovalResult,
  readCachedStats,
  removeObject,
  removeRecursive,
  type StatsHistoryResult,
  type StatsMode,
  systemClock,
  type UploadOptions,
  type UploadResult,
  type UserListingPage,
  uploadObject,
  type VerifyResult,
  verifyObject,
} from '@deltaglider/core';
import { acceptLogger } from './accept-logger.js';
import { type CacheStatistics, CacheStatisticsRecorder } from './cache-statistics.js';
import { chooseCodec } from './choose-codec.js';
import type { CodecName } from './codec-names.js';
import {
  type DirectoryTransferOptions,
  type DirectoryTransferReport,
  type DirectoryUploadOptions,
  downloadDirectory,
  uploadDirectory,
} from './directory-transfers.js';
import {
  localFile,
  resolveDownloadPath,
  uploadKeyFor,
  writeFileAtomically,
} from './file-transfer.js';
import { type InventoryStatsRequest, openInventory } from './inventory/inventory-source.js';
import { createLocalStatsCache } from './local-stats-cache.js';
import { nodeHashes } from './node-hashes.js';
import { processTempDirectory } from './process-temp-directory.js';
import {
  createDirectoryReferenceCache,
  type DirectoryReferenceCache,
  defaultCacheDirectory,
} from './reference-cache.js';
import { withFollowedSignal } from './request-signal.js';
import { resolveObjectStore, type StoreOptions } from './resolve-object-store.js';
import { SDK_VERSION } from './sdk-version.js';
import { abortOrphanedUploads, createUploadJournal } from './upload-journal.js';

export interface ClientOptions extends StoreOptions {
  /**
   * Where warnings and phase timings go. Default: nowhere. `console`, pino, bunyan and
   * winston loggers work as they are (pino and bunyan get `(fields, message)`).
   */
  readonly logger?: Logger | undefined;
  /** Default HEAD concurrency for sampled and detailed stats. */
  readonly concurrency?: number | undefined;
  readonly clock?: Clock | undefined;
  /** A delta codec of your own. Default: the one `codecName` names. */
  readonly codec?: DeltaCodec | undefined;
  /**
   * `xdelta3` (the program, as the Python tool runs it), `ts` (the TypeScript codec, nothing to
   * install) or `auto`: the program when it is installed, else the TypeScript codec, which is
   * also taken where it beats the program on size and time at the levels set (`xdelta3Level`
   * 9 with `codecLevel` 7 or less). Default `$DG_CODEC`, else `auto`. Each reads the other's
   * deltas.
   */
  readonly codecName?: CodecName | undefined;
  /** The xdelta3 program's level, 1 (fastest) to 9 (smallest). Default 3, or `$DG_XDELTA3_LEVEL`. */
  readonly xdelta3Level?: number | undefined;
  /**
   * The built-in codec's level, 1 (fastest) to 9 (smallest). Default 6, or `$DG_CODEC_LEVEL`.
   * Every level decodes anywhere, with xdelta3 too.
   */
  readonly codecLevel?: number | undefined;
  /**
   * Where references are kept by hash, on disk: deltas are made and applied against them.
   * Default: `<cacheDirectory>/references/`, at most `referenceCacheMaxBytes`.
   */
  readonly referenceCache?: ReferenceCache | undefined;
  /** Size cap of the default reference cache; least recently used go first. Default 2 GiB. */
  readonly referenceCacheMaxBytes?: number | undefined;
  /** This machine's cache directory. Default `defaultCacheDirectory()` (`$DG_CACHE_DIR`, …). */
  readonly cacheDirectory?: string | undefined;
  /**
   * Stats caches on this machine (`cacheLocation: 'local'`, and buckets the user may not
   * write). Default: `<cacheDirectory>/stats/` when the client builds its own store; `false`
   * for none.
   */
  readonly localStatsCache?: LocalStatsCache | false | undefined;
  /**
   * deltaglider_proxy's listing facts (`.dg/facts/`): `on` writes the entry of every delta
   * uploaded and deletes those of what is overwritten or removed; `off` never touches them;
   * `auto` (default) does it in buckets that already hold facts, asking each bucket once.
   * Stats read facts in every case.
   */
  readonly listingFacts?: ListingFactsSetting | undefined;
}

export interface DeltaGliderClient {
  readonly store: ObjectStore;
  /**
   * Savings stats of a bucket (or of a directory in it, with `prefix`), from the in-bucket
   * cache when it still matches the bucket's listing, else computed and cached.
   */
  getBucketStats(bucket: string, options?: GetBucketStatsOptions): Promise<BucketStatsResult>;
  /**
   * The bucket's daily history (a point per UTC day a whole-bucket result was computed) and
   * this month's average of daily stored bytes; this machine's where the bucket keeps none.
   */
  getStatsHistory(
    bucket: string,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<StatsHistoryResult>;
  /**
   * Savings stats from an S3 Inventory report of the bucket instead of a listing, for buckets
   * too large to list: `inventory` is `s3://DEST/PREFIX/` (read through this client's store) or
   * `file://DIR`, the folder holding the dated report folders. The numbers are as of the
   * report (`asOf`); nothing is read from or written to any stats cache.
   */
  getInventoryStats(bucket: string, options: InventoryStatsRequest): Promise<InventoryStats>;
  /** The latest report of an inventory (`2026-12-01T01-00Z`), or undefined: one listing. */
  inventoryReport(
    inventory: string,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<string | undefined>;
  /**
   * One SQL query computing `getInventoryStats`' per-deltaspace totals of the same report, for
   * DuckDB (over the report's data files) or Athena (over the inventory table).
   */
  inventorySql(
    bucket: string,
    options: Omit<InventorySqlRequest, 'logger'> & { readonly inventory: string },
  ): Promise<string>;
  /** Uploads a local file to `key` (a key ending in `/` is a directory: the file's name is added). */
  upload(
    localPath: string,
    bucket: string,
    key: string,
    options?: UploadOptions,
  ): Promise<UploadResult>;
  /**
   * Uploads every file below a local directory under `prefix`, keeping relative paths; checks
   * every key first, reports each file as it completes, and continues past a failed one.
   */
  uploadDirectory(
    localDirectory: string,
    bucket: string,
    prefix: string,
    options?: DirectoryUploadOptions,
  ): Promise<DirectoryTransferReport>;
  /**
   * Downloads every file under `prefix` into a local directory; refuses keys that would land
   * outside it, reports each file as it completes, and continues past a failed one.
   */
  downloadDirectory(
    bucket: string,
    prefix: string,
    localDirectory: string,
    options?: DirectoryTransferOptions,
  ): Promise<DirectoryTransferReport>;
  /** Downloads by user or stored name, verified by SHA-256 before the file appears. */
  download(
    bucket: string,
    key: string,
    destination: string,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<DownloadResult & { path: string }>;
  /** The bucket as users see it: references hidden, deltas under their original names. */
  list(bucket: string, options?: ListUserObjectsOptions): AsyncGenerator<UserListingPage>;
  /** The buckets the store shows these credentials, by name (`ls` with no target). */
  listBuckets(options?: { signal?: AbortSignal | undefined }): Promise<readonly BucketSummary[]>;
  /**
   * Aborts the unfinished multipart uploads under `prefix` begun at least `olderThanMs` ago
   * (their parts are billed until then); `dryRun` only lists them. Younger ones may still be
   * running and are kept.
   */
  abortIncompleteUploads(
    bucket: string,
    options: Omit<AbortUploadsOptions, 'now' | 'prefix'> & { readonly prefix?: string | undefined },
  ): Promise<AbortUploadsResult>;
  /** Removes one file; its deltaspace's reference stays for `gc`. */
  remove(bucket: string, key: string, options?: RemovalOptions): Promise<RemovalResult>;
  /**
   * Removes everything under a directory prefix but the references, which `gc` frees once
   * unused for its grace period.
   */
  removeRecursive(
    bucket: string,
    prefix: string,
    options?: RecursiveRemovalOptions,
  ): Promise<RemovalResult>;
  /**
   * Frees references that have had no delta for `olderThanMs` (two runs at least that far
   * apart: the first marks, a later one deletes), scratch objects of killed processes, and
   * listing facts of objects gone. `dryRun` changes nothing.
   */
  collectGarbage(
    bucket: string,
    prefix: string,
    options: {
      olderThanMs: number;
      dryRun?: boolean | undefined;
      signal?: AbortSignal | undefined;
      onRemoved?: ((key: string) => void) | undefined;
    },
  ): Promise<GarbageReport>;
  /**
   * Empties this machine's reference cache (the default one, or a given cache with a `prune`
   * method); returns how many references and bytes went.
   */
  pruneReferenceCache(): Promise<{ removed: number; bytes: number }>;
  /** Rebuilds a file as a stream (nothing written) and checks its SHA-256. */
  verify(
    bucket: string,
    key: string,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<VerifyResult>;
  /** Per stats mode: whether a cache exists, its age, and whether the next call would serve it. */
  cacheStatus(
    bucket: string,
    options?: { prefix?: string | undefined },
  ): Promise<ModeCacheStatus[]>;
  /**
   * How this client's stats calls used the cache so far: hits, misses, stale caches, forced
   * refreshes, cache trouble got past, and per bucket/prefix/mode the latest call's age.
   */
  cacheStatistics(): CacheStatistics;
  /**
   * The numbers the bucket's cache holds for a mode and prefix, as they are (one GET, no LIST,
   * not checked against the bucket), with their age; undefined without a usable cache. What a
   * monitor shows while a `getBucketStats` call recomputes.
   */
  cachedStats(
    bucket: string,
    options: { mode: StatsMode; prefix?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<CachedStats | undefined>;
  /**
   * Deletes our cache of one mode, or (no mode) every mode's and the known-originals companion;
   * another tool's cache at the shared key is kept and listed in `kept`.
   */
  clearCache(
    bucket: string,
    options?: { mode?: StatsMode | undefined; prefix?: string | undefined },
  ): Promise<ClearedCaches>;
}

export function createClient(given: ClientOptions = {}): DeltaGliderClient {
  const options = given.logger ? { ...given, logger: acceptLogger(given.logger) } : given;
  const cacheDirectory = options.cacheDirectory ?? defaultCacheDirectory();
  // Multipart uploads under way, so that the next run aborts what a killed one left.
  const journalDirectory = join(cacheDirectory, 'uploads');
  const endpointName = options.endpoint ?? 's3://';
  const store = resolveObjectStore({
    ...options,
    s3: {
      ...options.s3,
      // One socket per concurrent HEAD, plus room for the listing and cache requests.
      maxSockets:
        options.s3?.maxSockets ??
        (options.concurrency === undefined ? undefined : options.concurrency + 4),
      uploadJournal:
        options.s3?.uploadJournal ?? createUploadJournal(journalDirectory, endpointName),
    },
  });
  let orphansAborted: Promise<unknown> | undefined;
  // Stats caches on this machine, for buckets the user may not write (an injected store has no
  // endpoint to name its caches by, so it gets none unless given one).
  const localCache =
    options.localStatsCache === false
      ? undefined
      : (options.localStatsCache ??
        (options.store
          ? undefined
          : createLocalStatsCache(join(cacheDirectory, 'stats'), options.endpoint)));
  const dependencies = {
    store,
    localCache,
    generator: `deltaglider-ts/${SDK_VERSION}`,
    logger: options.logger,
    clock: options.clock,
  };
  const referenceCache =
    options.referenceCache ??
    createDirectoryReferenceCache(cacheDirectory, {
      ...(options.referenceCacheMaxBytes === undefined
        ? {}
        : { maxBytes: options.referenceCacheMaxBytes }),
      fallbackDirectory: () => processTempDirectory(),
    });
  const statistics = new CacheStatisticsRecorder();
  const listingFacts = new ListingFactsKeeper(
    store,
    options.listingFacts ?? 'auto',
    options.logger,
  );
  // One probe of the endpoint's conditional writes per client, shared by uploads and gc.
  const conditionalWrites = new ConditionalWrites(store);
  const deltaDependencies: DeltaDependencies = {
    listingFacts,
    conditionalWrites,
    store,
    codec:
      options.codec ??
      chooseCodec({
        name: options.codecName,
        xdelta3Level: options.xdelta3Level,
        codecLevel: options.codecLevel,
        tempDirectory: () => processTempDirectory(),
      }),
    tool: `deltaglider/${SDK_VERSION}`,
    hashes: nodeHashes,
    referenceCache,
    logger: options.logger,
    clock: options.clock,
  };
  const upload = async (
    localPath: string,
    bucket: string,
    key: string,
    uploadOptions: UploadOptions = {},
  ) => {
    const name = localPath.slice(localPath.lastIndexOf(sep) + 1);
    // Once a process, before its first upload: what killed runs left unfinished goes.
    if (!options.store) {
      orphansAborted ??= abortOrphanedUploads(
        journalDirectory,
        endpointName,
        store,
        options.logger,
      ).catch(() => 0);
      await orphansAborted;
    }
    return uploadObject(
      deltaDependencies,
      bucket,
      uploadKeyFor(key, name),
      await localFile(localPath),
      uploadOptions,
    );
  };
  const downloadTo = async (
    bucket: string,
    key: string,
    path: string,
    downloadOptions: { signal?: AbortSignal | undefined } = {},
  ) => {
    await mkdir(dirname(path), { recursive: true });
    const result = await downloadObject(
      deltaDependencies,
      bucket,
      key,
      (body) => writeFileAtomically(path, body, downloadOptions),
      // The writer's write of a chunk ends before it asks for the chunk after the next.
      { ...downloadOptions, reuseChunks: true },
    );
    return { ...result, path };
  };
  return {
    store,
    upload,
    // Files in flight each listen to the signal: they listen to one that follows the caller's.
    uploadDirectory: (localDirectory, bucket, prefix, uploadOptions = {}) =>
      withFollowedSignal(uploadOptions, (followed) =>
        uploadDirectory(deltaDependencies, localDirectory, bucket, prefix, followed),
      ),
    downloadDirectory: (bucket, prefix, localDirectory, transferOptions = {}) =>
      withFollowedSignal(transferOptions, (followed) =>
        downloadDirectory(
          bucket,
          prefix,
          localDirectory,
          (key, path) => downloadTo(bucket, key, path, { signal: followed.signal }),
          store,
          followed,
        ),
      ),
    async download(bucket, key, destination, downloadOptions = {}) {
      const path = await resolveDownloadPath(destination, bucket, key);
      return downloadTo(bucket, key, path, downloadOptions);
    },
    list: (bucket, listOptions) => listUserObjects(store, bucket, listOptions),
    async listBuckets(listOptions = {}) {
      if (!store.listBuckets) throw new Error('this store cannot list its buckets');
      return store.listBuckets(listOptions);
    },
    abortIncompleteUploads: (bucket, abortOptions) =>
      abortUnfinishedUploads(store, bucket, {
        ...abortOptions,
        prefix: normalizePrefix(abortOptions.prefix),
        now: (options.clock ?? systemClock).now(),
      }),
    remove: (bucket, key, removeOptions = {}) =>
      removeObject(store, bucket, key, { listingFacts, ...removeOptions }),
    removeRecursive: (bucket, prefix, removeOptions = {}) =>
      removeRecursive(store, bucket, prefix, { listingFacts, ...removeOptions }),
    collectGarbage: (bucket, prefix, garbageOptions) =>
      collectGarbage(store, bucket, prefix, { conditionalWrites, ...garbageOptions }),
    async pruneReferenceCache() {
      const prunable = referenceCache as Partial<DirectoryReferenceCache>;
      return prunable.prune ? prunable.prune() : { removed: 0, bytes: 0 };
    },
    verify: (bucket, key, verifyOptions = {}) =>
      verifyObject(deltaDependencies, bucket, key, verifyOptions),
    cacheStatus: (bucket, statusOptions = {}) =>
      getCacheStatus(store, bucket, { ...statusOptions, clock: options.clock }),
    clearCache: (bucket, clearOptions = {}) => clearStatsCache(store, bucket, clearOptions),
    cacheStatistics: () => statistics.snapshot(),
    cachedStats: (bucket, cachedOptions) =>
      readCachedStats(store, bucket, { ...cachedOptions, clock: options.clock }),
    getInventoryStats: async (bucket, { inventory, ...inventoryOptions }) =>
      getInventoryStats(openInventory(inventory, store), bucket, {
        ...inventoryOptions,
        logger: options.logger,
        clock: options.clock,
      }),
    inventoryReport: async (inventory, reportOptions = {}) =>
      latestInventoryReport(openInventory(inventory, store), reportOptions),
    inventorySql: async (bucket, { inventory, ...sqlOptions }) =>
      getInventorySql(openInventory(inventory, store), bucket, {
        ...sqlOptions,
        logger: options.logger,
      }),
    getStatsHistory: (bucket, historyOptions = {}) =>
      getStatsHistory(dependencies, bucket, historyOptions),
    getBucketStats: (bucket, statsOptions = {}) =>
      withFollowedSignal(statsOptions, async (followed) => {
        // Options may hold `undefined`: it never overrides what the client was given.
        const anonymous = options.s3?.signRequests === false;
        const result = await getBucketStats(dependencies, bucket, {
          ...followed,
          // An anonymous reader may not write the bucket: do not even try; keep stats locally.
          writeBucketCache: followed.writeBucketCache ?? (anonymous ? false : undefined),
          concurrency: followed.concurrency ?? options.concurrency,
        });
        statistics.record(result, (options.clock ?? systemClock).now());
        return result;
      }),
  };
}
