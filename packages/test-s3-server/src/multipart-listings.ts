import type { buildApp } from 'fauxqs';
import { escapeXml } from './xml-text.js';

/** What our fauxqs patch exposes of its multipart uploads (`app.deltagliderS3Store`). */
interface FauxqsUploads {
  readonly multipartUploads: Map<
    string,
    {
      readonly uploadId: string;
      readonly bucket: string;
      readonly key: string;
      readonly initiated: Date;
      readonly parts: Map<number, { readonly body: Buffer; readonly etag: string }>;
    }
  >;
}

/**
 * A stand-in for ListMultipartUploads (`GET /bucket?uploads`) and ListParts
 * (`GET /bucket/key?uploadId=`), which fauxqs lacks though it keeps the uploads: answered
 * from its store in S3's wire format, in one page each (no markers honoured beyond that).
 */
export function listMultipartUploads(app: ReturnType<typeof buildApp>): void {
  const store = () => (app as unknown as { deltagliderS3Store: FauxqsUploads }).deltagliderS3Store;
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET') return;
    const [path = '', search = ''] = request.url.split('?');
    const query = new URLSearchParams(search);
    const [, bucket = '', ...rest] = path.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const xml = '<?xml version="1.0" encoding="UTF-8"?>';
    if (key === '' && query.has('uploads')) {
      const prefix = query.get('prefix') ?? '';
      const uploads = [...store().multipartUploads.values()]
        .filter((upload) => upload.bucket === bucket && upload.key.startsWith(prefix))
        .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)))
        .map(
          (upload) =>
            `<Upload><Key>${escapeXml(upload.key)}</Key><UploadId>${upload.uploadId}</UploadId><Initiated>${upload.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
        );
      return reply
        .header('content-type', 'application/xml')
        .send(
          `${xml}<ListMultipartUploadsResult><Bucket>${bucket}</Bucket><Prefix>${escapeXml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`,
        );
    }
    const uploadId = query.get('uploadId');
    if (key !== '' && uploadId !== null) {
      const upload = store().multipartUploads.get(uploadId);
      if (!upload || upload.bucket !== bucket || upload.key !== key)
        return reply
          .code(404)
          .header('content-type', 'application/xml')
          .send(
            `${xml}<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>`,
          );
      const parts = [...upload.parts]
        .sort(([a], [b]) => a - b)
        .map(
          ([number, part]) =>
            `<Part><PartNumber>${number}</PartNumber><ETag>${escapeXml(part.etag)}</ETag><Size>${part.body.length}</Size></Part>`,
        );
      return reply
        .header('content-type', 'application/xml')
        .send(
          `${xml}<ListPartsResult><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`,
        );
    }
  });
}
