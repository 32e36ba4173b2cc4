export { AccessDeniedError } from './errors/access-denied-error.js';
export { BucketNotFoundError } from './errors/bucket-not-found-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { InvalidKeyError } from './errors/invalid-key-error.js';
export {
  ObjectStoreError,
  type ObjectStoreErrorCode,
  type ObjectStoreErrorOptions,
} from './errors/object-store-error.js';
export { PreconditionFailedError } from './errors/precondition-failed-error.js';
export { StoreUnavailableError } from './errors/store-unavailable-error.js';
export { deleteObjects } from './listing/delete-objects.js';
export { type ListAllObjectsOptions, listAllObjects } from './listing/list-all-objects.js';
export { BodyTooLargeError, readBody } from './listing/read-body.js';
export {
  type DeleteFailure,
  type DeleteManyResult,
  type ListOptions,
  type ListPage,
  MAX_LIST_PAGE_SIZE,
  type ObjectHead,
  type ObjectStore,
  type ObjectStoreCapabilities,
  type ObjectSummary,
  type PutOptions,
  type PutResult,
  type RequestOptions,
  type StoredObject,
} from './ports/object-store.js';
export {
  buildListPage,
  type ListPosition,
  resolveListPosition,
  resolveMaxKeys,
} from './store-support/build-list-page.js';
export { compareKeys } from './store-support/compare-keys.js';
export { decodeListCursor, encodeListCursor } from './store-support/list-cursor.js';
export { lowerCaseMetadataKeys, toObjectSummary } from './store-support/object-records.js';
