// `@deltaglider/core/adapter-kit`: what an `ObjectStore` adapter author needs to get S3's
// semantics right, kept off the root export, which is for users of the port and the use cases.
// See docs/object-store.md; the contract suite (@deltaglider/object-store-contract) proves it.

// For inventory sources (`InventorySource`): S3 Inventory's CSV, read as core expects it.
export { CsvRecords } from './inventory/csv-records.js';
export {
  csvRecordToRow,
  decodeFormEncoded,
  encodeFormEncoded,
} from './inventory/inventory-row.js';
export { MAX_LIST_PAGE_SIZE } from './ports/object-store.js';
export { assertValidBucketName, isValidBucketName } from './store-support/bucket-name.js';
export {
  buildListPage,
  type ListPosition,
  resolveListPosition,
  resolveMaxKeys,
} from './store-support/build-list-page.js';
export { compareKeys } from './store-support/compare-keys.js';
export { decodeListCursor, encodeListCursor } from './store-support/list-cursor.js';
export { lowerCaseMetadataKeys, toObjectSummary } from './store-support/object-records.js';
// For codecs too (`peekBody`: a body's first bytes looked at before it is read).
export { peekBody } from './store-support/peek-body.js';
export {
  asBodySource,
  bytesSource,
  putBodySize,
  readPutBody,
} from './store-support/put-body.js';
export { BodyTooLargeError, readBody } from './store-support/read-body.js';
