import { retiringTombstoneKey, unreferencedMarkerKey } from '../layout/bucket-layout.js';
import type { ObjectStore, RequestOptions } from '../ports/object-store.js';

// How `gc` retires a reference without racing an upload that starts using it, by the order of
// requests on keys every party can read back at once (HEAD, PUT and DELETE are read-after-write
// consistent; no listing decides):
//
//   gc:     PUT tombstone  ->  HEAD marker (still there, old enough)  ->  DELETE reference
//   upload: PUT delta      ->  DELETE marker  ->  HEAD tombstone (absent)  ->  HEAD reference
//
// If gc deleted the reference, it saw the marker after writing its tombstone, so the upload
// deleted the marker later still, and its HEAD of the tombstone came after that: it finds the
// tombstone (gc deletes it only after the reference), or no reference at all. Either way the
// upload stores its file whole instead of keeping a delta against a reference about to go.

/**
 * An upload that wrote a delta against an existing reference claims it: cancels any pending
 * retirement and checks that none is under way. False: store the file whole.
 */
export async function claimReference(
  store: ObjectStore,
  bucket: string,
  referenceKey: string,
  etag: string,
  options: RequestOptions,
): Promise<boolean> {
  if (etag === '') return true;
  await store.delete(bucket, unreferencedMarkerKey(referenceKey, etag), options);
  return (await store.head(bucket, retiringTombstoneKey(referenceKey, etag), options)) === null;
}
