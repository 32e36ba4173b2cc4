import type { ObjectHead, ObjectSummary } from '../ports/object-store.js';

/** The listing view of a head: what LIST returns for the same object. */
export function toObjectSummary(head: ObjectHead): ObjectSummary {
  return { key: head.key, size: head.size, etag: head.etag, lastModified: head.lastModified };
}

/** S3 lower-cases user metadata names on the wire; stores that keep metadata do it too. */
export function lowerCaseMetadataKeys(
  metadata: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).map(([name, value]) => [name.toLowerCase(), value]),
  );
}
