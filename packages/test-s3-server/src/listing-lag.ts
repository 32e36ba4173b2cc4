import type { IncomingHttpHeaders } from 'node:http';
import { escapeXml, unescapeXml } from './xml-text.js';

/**
 * What S3-compatible stores with an asynchronous bucket index or a listing cache do: for
 * `lagMs` after a write, ListObjects still shows the bucket as it was. A key first written less
 * than `lagMs` ago is missing from listings, and a key deleted less than `lagMs` ago is still
 * listed, with the size and ETag it had. GET, HEAD, PUT and DELETE stay read-after-write
 * consistent, as on those stores.
 */
export class ListingLag {
  lagMs = 0;
  private readonly created = new Map<string, number>();
  private readonly deleted = new Map<string, { at: number; entry: ListedEntry }>();
  private readonly known = new Map<string, ListedEntry>();

  /** A write that landed: `path` is `/bucket/key`, decoded. */
  recordPut(path: string, headers: IncomingHttpHeaders, answer: IncomingHttpHeaders): void {
    const now = Date.now();
    const size = Number(headers['x-amz-decoded-content-length'] ?? headers['content-length'] ?? 0);
    const etag = String(answer.etag ?? '""');
    if (!this.known.has(path) || this.deleted.has(path)) this.created.set(path, now);
    this.deleted.delete(path);
    this.known.set(path, { size, etag, lastModified: new Date(now).toISOString() });
  }

  recordDelete(path: string): void {
    const entry = this.known.get(path);
    this.created.delete(path);
    this.known.delete(path);
    if (entry) this.deleted.set(path, { at: Date.now(), entry });
  }

  /**
   * A ListObjectsV2 answer as the lagging index would give it: recent creations left out,
   * recent deletions put back in key order (within the page's range), `KeyCount` kept true.
   */
  rewriteListing(bucket: string, query: URLSearchParams, xml: string): string {
    if (this.lagMs <= 0) return xml;
    const now = Date.now();
    const hidden = (key: string) => {
      const at = this.created.get(`/${bucket}/${key}`);
      return at !== undefined && now - at < this.lagMs;
    };
    const blocks = [...xml.matchAll(/<Contents>[\s\S]*?<\/Contents>/g)].map((match) => ({
      xml: match[0],
      key: unescapeXml(/<Key>([\s\S]*?)<\/Key>/.exec(match[0])?.[1] ?? ''),
    }));
    const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
    const lastKey = blocks.at(-1)?.key;
    const prefix = query.get('prefix') ?? '';
    const after = query.get('start-after') ?? '';
    const delimiter = query.get('delimiter');
    const kept = blocks.filter((block) => !hidden(block.key));
    for (const [path, { at, entry }] of this.deleted) {
      if (now - at >= this.lagMs) {
        this.deleted.delete(path);
        continue;
      }
      if (!path.startsWith(`/${bucket}/`)) continue;
      const key = path.slice(bucket.length + 2);
      const inRange =
        key.startsWith(prefix) &&
        key > after &&
        (!truncated || (lastKey !== undefined && key < lastKey)) &&
        !(delimiter && key.slice(prefix.length).includes(delimiter));
      if (inRange && !kept.some((block) => block.key === key))
        kept.push({ key, xml: contentsXml(key, entry) });
    }
    kept.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
    const start = xml.indexOf('<Contents>');
    const end = xml.lastIndexOf('</Contents>');
    const body =
      start === -1
        ? xml.replace(
            '</ListBucketResult>',
            `${kept.map((b) => b.xml).join('')}</ListBucketResult>`,
          )
        : xml.slice(0, start) +
          kept.map((b) => b.xml).join('') +
          xml.slice(end + '</Contents>'.length);
    return body.replace(
      /<KeyCount>\d+<\/KeyCount>/,
      `<KeyCount>${kept.length + (xml.match(/<CommonPrefixes>/g)?.length ?? 0)}</KeyCount>`,
    );
  }
}

interface ListedEntry {
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
}

function contentsXml(key: string, entry: ListedEntry): string {
  return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${entry.lastModified}</LastModified><ETag>${escapeXml(entry.etag)}</ETag><Size>${entry.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
}
