import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Logger, type ObjectStore } from '@deltaglider/core';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { createMemoryObjectStore, type MemoryObjectStore } from '@deltaglider/memory-adapter';
import { createLazyObjectStore } from './lazy-object-store.js';
import type { S3Settings } from './s3-settings.js';
import { registerStore, type StoreRequest, storeFactoryFor } from './store-registry.js';

export interface StoreOptions {
  /**
   * Where the buckets are, by URL scheme: omitted (or `s3://`) for AWS S3; `http(s)://host:port`
   * for an S3-compatible server; `file:///abs/dir` or `file://relative/dir` for a local
   * directory; `memory://name` for buckets in this process; any scheme `registerStore` added.
   */
  readonly endpoint?: string | undefined;
  /** Settings only S3 endpoints use: region, profile, credentials, timeouts, TLS, encryption. */
  readonly s3?: S3Settings | undefined;
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
  /** Where the store's own warnings go (a damaged file skipped while listing). */
  readonly logger?: Logger | undefined;
}

/** Builds the ObjectStore an endpoint names, through the factory registered for its scheme. */
export function resolveObjectStore(options: StoreOptions = {}): ObjectStore {
  if (options.store) return options.store;
  const endpoint = options.endpoint ?? 's3://';
  const { scheme, factory } = storeFactoryFor(endpoint);
  return factory({
    endpoint,
    scheme,
    conditionalPut: options.conditionalPut ?? true,
    s3: options.s3 ?? {},
    adoptDirectories: options.adoptDirectories ?? false,
    logger: options.logger,
  });
}

/** `http(s)://host[:port]`: an S3-compatible server. `s3://` (nothing after it): AWS S3. */
function s3Store(request: StoreRequest): ObjectStore {
  const { endpoint, scheme, conditionalPut, s3 } = request;
  if (scheme === 's3' ? !/^s3:(\/\/)?$/i.test(endpoint) : !/^https?:\/\/[^/\s]+/i.test(endpoint))
    throw new InvalidArgumentError(
      `invalid endpoint ${JSON.stringify(endpoint)}: use http(s)://host[:port], or s3:// (or none) for AWS S3`,
    );
  // The AWS SDK loads on the first request, not here: file:// and --help never need it.
  return createLazyObjectStore({ conditionalPut }, async () => {
    const { configuredEndpoint, createS3ObjectStore } = await import('@deltaglider/s3-adapter');
    // Without an endpoint of its own, the AWS configuration may name one, as for the AWS CLI;
    // either way an unknown profile is refused before any request.
    const configured = await configuredEndpoint(s3.profile);
    return createS3ObjectStore({
      ...s3,
      endpoint: scheme === 's3' ? configured : endpoint,
      conditionalPut,
    });
  });
}

function fileStore(request: StoreRequest): ObjectStore {
  const { logger } = request;
  return createFsObjectStore({
    root: fileEndpointPath(request.endpoint),
    adoptDirectories: request.adoptDirectories,
    onWarning: logger ? (message: string) => logger.warn(message) : undefined,
  });
}

// memory://NAME: one store per name for the life of the process, so clients share it.
const memoryStores = new Map<string, MemoryObjectStore>();

/**
 * `memory://NAME?buckets=a,b`: buckets held in this process (tests, demos, a browser-like
 * sandbox); clients naming the same NAME share them; `buckets` creates those that are missing.
 */
function memoryStore(request: StoreRequest): ObjectStore {
  const url = new URL(request.endpoint);
  const name = `${url.host}${url.pathname}`;
  let store = memoryStores.get(name);
  if (!store) {
    store = createMemoryObjectStore();
    memoryStores.set(name, store);
  }
  for (const bucket of url.searchParams.get('buckets')?.split(',').filter(Boolean) ?? [])
    store.createBucket(bucket);
  return store;
}

for (const scheme of ['s3', 'http', 'https']) registerStore(scheme, s3Store);
registerStore('file', fileStore);
registerStore('memory', memoryStore);

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
