import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Logger, type ObjectStore } from '@deltaglider/core';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import type {
  MultipartSettings,
  S3ClientSettings,
  ServerSideEncryption,
} from '@deltaglider/s3-adapter';
import { createLazyObjectStore } from './lazy-object-store.js';

export interface StoreOptions {
  /**
   * Where the buckets are: omitted for AWS S3; `http(s)://host:port` for an S3-compatible
   * server; `file:///abs/dir` or `file://relative/dir` for a local directory.
   */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly credentials?: S3ClientSettings['credentials'] | undefined;
  /** Open connections to an S3 endpoint. */
  readonly maxSockets?: number | undefined;
  /** Give up connecting to an S3 endpoint after this long; 0 waits forever. Default 10 s. */
  readonly connectTimeoutMs?: number | undefined;
  /** Give up on an S3 request silent this long, also midway through a body; 0 waits forever. Default 60 s. */
  readonly readTimeoutMs?: number | undefined;
  /**
   * Whether to send `If-None-Match`/`If-Match` at all. Default true; whether the server enforces
   * them is probed (`ConditionalWrites`). False for a server that refuses requests carrying them.
   */
  readonly conditionalPut?: boolean | undefined;
  /** Use this store instead of building one: memory, your own adapter, a shared S3 store. */
  readonly store?: ObjectStore | undefined;
  /**
   * `file://`: use bucket directories that hold files the tool did not write (ignored). Default
   * false: such a directory is refused, never reported as empty nor written into.
   */
  readonly adoptDirectories?: boolean | undefined;
  /** S3: a PEM file of CA certificates to trust. Default `$AWS_CA_BUNDLE`. */
  readonly caBundle?: string | undefined;
  /** S3: false skips TLS certificate checks (`--no-verify-ssl`). Default true. */
  readonly verifySsl?: boolean | undefined;
  /**
   * S3: false sends requests unsigned, for public buckets (`--no-sign-request`); stats then
   * read caches but never write them. Default true.
   */
  readonly signRequests?: boolean | undefined;
  /** S3: `requester` to read or write a Requester Pays bucket. */
  readonly requestPayer?: 'requester' | undefined;
  /** S3: server-side encryption for every PUT, as a bucket policy may require. */
  readonly serverSideEncryption?: ServerSideEncryption | undefined;
  /**
   * S3: streamed uploads of at least `threshold` bytes (default 64 MiB) go up in parts of
   * `partSize` (default 8 MiB), `concurrency` (default 4) at a time.
   */
  readonly multipart?: Partial<MultipartSettings> | undefined;
  /** Where the store's own warnings go (a damaged file skipped while listing). */
  readonly logger?: Logger | undefined;
}

/** Builds the ObjectStore an endpoint names. */
export function resolveObjectStore(options: StoreOptions = {}): ObjectStore {
  if (options.store) return options.store;
  const endpoint = options.endpoint;
  if (endpoint?.startsWith('file:')) {
    const logger = options.logger;
    return createFsObjectStore({
      root: fileEndpointPath(endpoint),
      ...(options.adoptDirectories ? { adoptDirectories: true } : {}),
      ...(logger ? { onWarning: (message: string) => logger.warn(message) } : {}),
    });
  }
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/i.test(endpoint)) {
    throw new InvalidArgumentError(
      `invalid endpoint ${JSON.stringify(endpoint)}: use http(s)://host[:port] or file://path`,
    );
  }
  const conditionalPut = options.conditionalPut ?? true;
  // The AWS SDK loads on the first request, not here: file:// and --help never need it.
  return createLazyObjectStore({ conditionalPut }, async () => {
    const { createS3ObjectStore } = await import('@deltaglider/s3-adapter');
    return createS3ObjectStore({
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(options.region === undefined ? {} : { region: options.region }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets }),
      ...(options.connectTimeoutMs === undefined
        ? {}
        : { connectTimeoutMs: options.connectTimeoutMs }),
      ...(options.readTimeoutMs === undefined ? {} : { readTimeoutMs: options.readTimeoutMs }),
      ...(options.caBundle === undefined ? {} : { caBundle: options.caBundle }),
      ...(options.verifySsl === false ? { verifySsl: false } : {}),
      ...(options.signRequests === false ? { signRequests: false } : {}),
      ...(options.requestPayer ? { requestPayer: options.requestPayer } : {}),
      ...(options.serverSideEncryption
        ? { serverSideEncryption: options.serverSideEncryption }
        : {}),
      ...(options.multipart ? { multipart: options.multipart } : {}),
      conditionalPut,
    });
  });
}

/**
 * `file:///srv/dg` is absolute. `file://demo` and `file:demo` are taken relative to the
 * working directory: URLs have no relative form, but people type them.
 */
export function fileEndpointPath(endpoint: string): string {
  if (endpoint.startsWith('file:///')) return fileURLToPath(endpoint);
  const path = decodeURIComponent(endpoint.replace(/^file:(\/\/)?/, ''));
  if (path === '') throw new InvalidArgumentError('a file:// endpoint needs a directory');
  return isAbsolute(path) ? path : resolve(path);
}
