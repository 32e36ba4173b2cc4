import type { buildApp } from 'fauxqs';
import { unescapeXml } from './xml-text.js';

/**
 * A stand-in for storage classes, which fauxqs lacks (it lists every object as STANDARD and
 * ignores `x-amz-storage-class`). The class a PUT or CreateMultipartUpload names is kept per
 * key and written into the `<StorageClass>` of that key's listing entries, in S3's wire
 * format; a PUT without one, or a DELETE, makes the key STANDARD again. Enough for the stats
 * that total bytes by class; nothing else (GET, HEAD, copies) reports the class.
 */
export function keepStorageClasses(app: ReturnType<typeof buildApp>): void {
  const classes = new Map<string, string>();
  app.addHook('onRequest', async (request) => {
    const { bucket, key, query } = parse(request.url);
    if (key === '' || query.has('partNumber') || query.has('uploadId')) return;
    const given = request.headers['x-amz-storage-class'];
    const named = typeof given === 'string' && given !== 'STANDARD' ? given : undefined;
    const path = `${bucket}/${key}`;
    if (request.method === 'PUT' || (request.method === 'POST' && query.has('uploads'))) {
      if (named) classes.set(path, named);
      else classes.delete(path);
    } else if (request.method === 'DELETE') classes.delete(path);
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (classes.size === 0 || request.method !== 'GET' || typeof payload !== 'string')
      return payload;
    const { bucket, key } = parse(request.url);
    if (key !== '' || !payload.includes('<ListBucketResult')) return payload;
    return payload.replace(/<Contents>([\s\S]*?)<\/Contents>/g, (entry: string) => {
      const listed = /<Key>([\s\S]*?)<\/Key>/.exec(entry)?.[1];
      const named =
        listed === undefined ? undefined : classes.get(`${bucket}/${unescapeXml(listed)}`);
      return named
        ? entry.replace(
            /<StorageClass>[^<]*<\/StorageClass>/,
            `<StorageClass>${named}</StorageClass>`,
          )
        : entry;
    });
  });
}

function parse(url: string): { bucket: string; key: string; query: URLSearchParams } {
  const [path = '', query = ''] = url.split('?');
  const [, bucket = '', ...rest] = path.split('/');
  return { bucket, key: decodeURIComponent(rest.join('/')), query: new URLSearchParams(query) };
}
