/** The contract's cases by name, so a store can declare its known gaps by the same names. */
export const contractCaseNames = {
  metadataRoundTrip: 'keeps user metadata (keys lower-cased, values intact), content type and ETag',
  anyScriptMetadata:
    'round-trips metadata values in any script: Latin-1, CJK, emoji, combining marks, RTL',
  missingKey: 'resolves null for head and get of a missing key',
  overwriteAndEmptyBody: 'replaces an object whole, including with an empty body',
  largeBody: 'round-trips a 5 MiB body byte for byte',
  veryLargeBody: 'round-trips a 16 MiB body in one PUT',
  streamedBody: 'stores a 20 MiB body source streamed in chunks, with a stable ETag',
  streamedConditions: 'enforces only-if-absent and if-match on streamed bodies too',
  failedStream: 'leaves no object (and the old one intact) when a body source fails midway',
  byteOrder: 'lists keys in UTF-8 byte order',
  paging:
    'pages over 2,500 keys with several page sizes, each key exactly once, 1000 at most a page',
  prefixAndStartAfter: 'filters by prefix and resumes after start-after',
  delimiter: 'rolls keys up into common prefixes at a delimiter, also across pages',
  deleteMissingKey: 'resolves delete of a missing key',
  batchDelete: 'deletes many keys at once, missing ones included',
  preconditions: 'enforces only-if-absent and if-match writes when it declares them',
  conditionalDelete:
    'deletes with if-match only while the ETag matches, when it declares conditions',
  missingBucket: 'rejects with BucketNotFoundError for a missing bucket',
  listBuckets: 'lists its buckets by name, the one in use among them, when it can list them',
  invalidBucketName: 'rejects a bucket name S3 refuses with InvalidArgumentError',
} as const;

export type ContractCaseKey = keyof typeof contractCaseNames;
export type ContractCaseName = (typeof contractCaseNames)[ContractCaseKey];
