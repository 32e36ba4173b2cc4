/** Files in flight at once in a bulk transfer, unless told otherwise. */
export const DEFAULT_TRANSFER_CONCURRENCY = 8;
