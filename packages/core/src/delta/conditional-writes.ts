import { isAbortError } from '../errors/is-abort-error.js';
import { PreconditionFailedError } from '../errors/precondition-failed-error.js';
import { PROBES_PREFIX } from '../layout/bucket-layout.js';
import type { ObjectStore, RequestOptions } from '../ports/object-store.js';

/** What the server behind a store enforces, as a probe saw it. */
export interface ConditionalWriteSupport {
  /** `If-None-Match: *` and `If-Match` on PUT: a reference can be created write-once. */
  readonly put: boolean;
  /** `If-Match` on DELETE: a reference is deleted only while it is the one looked at. */
  readonly delete: boolean;
}

const NONE: ConditionalWriteSupport = { put: false, delete: false };
const WRONG_ETAG = '"00000000000000000000000000000000"';

/**
 * Whether the server really enforces conditional writes, found by trying them on a scratch key
 * under `.deltaglider/probes/` rather than believed from a flag or an endpoint's name (many
 * S3-compatible servers accept the headers and ignore them). Asked once per store, that is per
 * endpoint, on the first bucket that needs it; a probe that fails for another reason is asked
 * again next time, and until then nothing is taken as enforced.
 */
export class ConditionalWrites {
  private probing: Promise<ConditionalWriteSupport> | undefined;
  private notedUnsafe = false;

  constructor(private readonly store: ObjectStore) {}

  /** True the first time only: a client warns once that it stores first uploads whole. */
  firstUnsafeNote(): boolean {
    const first = !this.notedUnsafe;
    this.notedUnsafe = true;
    return first;
  }

  support(bucket: string, options: RequestOptions = {}): Promise<ConditionalWriteSupport> {
    if (!this.store.capabilities.conditionalPut) return Promise.resolve(NONE);
    if (!this.probing) {
      this.probing = probe(this.store, bucket, options);
      this.probing.catch(() => {
        this.probing = undefined;
      });
    }
    return this.probing;
  }
}

async function probe(
  store: ObjectStore,
  bucket: string,
  options: RequestOptions,
): Promise<ConditionalWriteSupport> {
  const key = `${PROBES_PREFIX}${crypto.randomUUID()}`;
  const empty = new Uint8Array(0);
  try {
    await store.put(bucket, key, empty, { ...options, onlyIfAbsent: true });
    const put =
      (await refused(() => store.put(bucket, key, empty, { ...options, onlyIfAbsent: true }))) &&
      (await refused(() => store.put(bucket, key, empty, { ...options, ifMatch: WRONG_ETAG })));
    const deleteRefused = await refused(() =>
      store.delete(bucket, key, { ...options, ifMatch: WRONG_ETAG }),
    );
    return { put, delete: deleteRefused && (await store.head(bucket, key, options)) !== null };
  } finally {
    await store.delete(bucket, key, options).catch((error: unknown) => {
      if (isAbortError(error)) throw error;
    });
  }
}

/** Whether the server turned a conditional request down (412), rather than carrying it out. */
async function refused(request: () => Promise<unknown>): Promise<boolean> {
  try {
    await request();
    return false;
  } catch (error) {
    if (PreconditionFailedError.isInstance(error)) return true;
    throw error;
  }
}
