import {
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { ListingLag } from './listing-lag.js';
import { classifyRequest, type S3RequestType } from './start-test-s3-server.js';
import { escapeXml, unescapeXml } from './xml-text.js';

export type Fault =
  /** 503 SlowDown, as S3 throttles. */
  | 'slow-down'
  /** 500 InternalError. */
  | 'internal-error'
  /** 403 AccessDenied. */
  | 'access-denied'
  /** 403 InvalidAccessKeyId, as S3 answers an access key it does not know. */
  | 'unknown-access-key'
  /** 403 SignatureDoesNotMatch, as S3 answers a request signed with the wrong secret key. */
  | 'wrong-secret-key'
  /** The connection is reset before any response. */
  | 'reset'
  /** Headers and half the body are sent, then the connection is cut. */
  | 'truncate'
  /** Headers and half the body are sent, then nothing more, the connection held open. */
  | 'stall-body'
  /** No answer at all, until the client gives up. */
  | 'stall'
  /** Forwarded after `delayMs`: a slow or retried request that lands late. */
  | 'delay'
  /** The request body is forwarded at `bytesPerSecond`: a slow upload still in flight. */
  | 'throttle'
  /**
   * The bucket lives in `bucketRegion`: a request signed for another region gets S3's 301
   * PermanentRedirect (with `x-amz-bucket-region` unless `hideRegion`); others pass.
   */
  | 'wrong-region'
  /** A bucket policy that denies (403) any PUT without `x-amz-server-side-encryption`. */
  | 'require-encryption'
  /** LISTs are forwarded without `start-after`, as by a server that does not support it. */
  | 'ignore-start-after'
  /** LISTs are forwarded without `delimiter`: every key, no common prefixes. */
  | 'ignore-delimiter'
  /**
   * The bucket has versioning enabled (and Object Lock default retention with `objectLock`):
   * the proxy answers `?versioning` and `?object-lock`, keeps a version per successful PUT,
   * and serves `ListObjectVersions` and `DELETE ?versionId=` from that history.
   */
  | 'versioned';

/** Which requests a fault hits: all of a type, those whose path matches, the first N or after M. */
export interface FaultRule {
  readonly fault: Fault;
  readonly type?: S3RequestType;
  readonly path?: RegExp;
  /** Only the first `times` matching requests (after `skip`); default every one. */
  readonly times?: number;
  /** Let this many matching requests through first. */
  readonly skip?: number;
  /** For `delay`: how long the request waits before it is forwarded. Default 1000. */
  readonly delayMs?: number;
  /** For `throttle`: the request body's rate. Default 20 MB/s. */
  readonly bytesPerSecond?: number;
  /** For `wrong-region`: where the bucket lives. */
  readonly bucketRegion?: string;
  /** For `wrong-region`: answer without the `x-amz-bucket-region` header. */
  readonly hideRegion?: boolean;
  /** For `versioned`: Object Lock with a default retention is on too. */
  readonly objectLock?: boolean;
}

/** A request as it reached the proxy, for tests that check what the client sent. */
export interface SeenRequest {
  readonly type: S3RequestType;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface FaultProxy {
  readonly endpoint: string;
  /**
   * For `versioned`: the version ids kept of each key path (`/bucket/key`), oldest first,
   * delete markers left out.
   */
  versionsOf(path: string): readonly string[];
  /** The last 1,000 requests, oldest first. */
  seenRequests(): readonly SeenRequest[];
  /** Requests seen by type, faults included. */
  requestCounts(): Partial<Record<S3RequestType, number>>;
  /** Faults injected so far, by fault. */
  faultCounts(): Partial<Record<Fault, number>>;
  setRules(rules: readonly FaultRule[]): void;
  /**
   * Listings lag behind writes by this long (see `ListingLag`), on top of any rule; 0 (the
   * default) lists as the server does.
   */
  setListingLag(ms: number): void;
  /**
   * Drop `If-None-Match` and `If-Match` before forwarding: the server then behaves like one
   * that ignores conditional writes (as many S3-compatible servers do), whatever else applies.
   */
  setIgnoreConditions(ignore: boolean): void;
  stop(): Promise<void>;
}

type ErrorFault =
  | 'slow-down'
  | 'internal-error'
  | 'access-denied'
  | 'unknown-access-key'
  | 'wrong-secret-key';

/** S3's own words for each: status, code and message. */
const errorBodies: Record<ErrorFault, [number, string, string]> = {
  'slow-down': [503, 'SlowDown', 'Please reduce your request rate.'],
  'internal-error': [500, 'InternalError', 'We encountered an internal error. Please try again.'],
  'access-denied': [403, 'AccessDenied', 'Access Denied'],
  'unknown-access-key': [
    403,
    'InvalidAccessKeyId',
    'The AWS Access Key Id you provided does not exist in our records.',
  ],
  'wrong-secret-key': [
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  ],
};

const isErrorFault = (fault: Fault | undefined): fault is ErrorFault =>
  fault !== undefined && fault in errorBodies;

/**
 * An HTTP proxy on 127.0.0.1 in front of the test server that answers chosen requests with a
 * fault instead of forwarding them: the throttling, errors, resets, stalls and truncated bodies
 * a real S3 produces, on demand and counted.
 */
export async function startFaultProxy(
  target: { port: number },
  initialRules: readonly FaultRule[] = [],
): Promise<FaultProxy> {
  let rules = initialRules.map((rule) => ({ rule, seen: 0 }));
  const requests: Partial<Record<S3RequestType, number>> = {};
  const faults: Partial<Record<Fault, number>> = {};
  const sockets = new Set<Socket>();
  const seen: SeenRequest[] = [];
  const versions = new Map<string, KeptVersion[]>();
  let nextVersion = 0;
  const lag = new ListingLag();
  let ignoreConditions = false;

  const pickRule = (type: S3RequestType, path: string): FaultRule | undefined => {
    for (const entry of rules) {
      const { rule } = entry;
      if (rule.type !== undefined && rule.type !== type) continue;
      if (rule.path !== undefined && !rule.path.test(decodeURIComponent(path))) continue;
      entry.seen++;
      if (entry.seen <= (rule.skip ?? 0)) continue;
      if (rule.times !== undefined && entry.seen > (rule.skip ?? 0) + rule.times) continue;
      return rule;
    }
    return undefined;
  };

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    const type = classifyRequest(method, url);
    requests[type] = (requests[type] ?? 0) + 1;
    seen.push({ type, method, url, headers: { ...incoming.headers } });
    if (seen.length > 1000) seen.shift();
    const rule = pickRule(type, url.split('?')[0] ?? url);
    const fault = rule?.fault;
    if (fault) faults[fault] = (faults[fault] ?? 0) + 1;

    if (fault === 'reset') {
      incoming.socket.destroy();
      return;
    }
    if (fault === 'stall') return; // never answered; the client's timeout or abort ends it
    if (
      fault === 'require-encryption' &&
      method === 'PUT' &&
      incoming.headers['x-amz-server-side-encryption'] === undefined
    ) {
      const [status, code, message] = errorBodies['access-denied'];
      const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
      incoming.resume();
      response.writeHead(status, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(body),
      });
      response.end(body);
      return;
    }
    if (fault === 'versioned' && answerVersioned(incoming, response, rule, versions)) return;
    if (fault === 'wrong-region' && signedRegionOf(incoming) !== rule?.bucketRegion) {
      const region = rule?.bucketRegion ?? 'eu-central-1';
      const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>s3.${region}.amazonaws.com</Endpoint></Error>`;
      incoming.resume();
      response.writeHead(301, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(body),
        ...(rule?.hideRegion ? {} : { 'x-amz-bucket-region': region }),
      });
      response.end(method === 'HEAD' ? undefined : body);
      return;
    }
    if (isErrorFault(fault)) {
      const [status, code, message] = errorBodies[fault];
      const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
      incoming.resume();
      response.writeHead(status, {
        'content-type': 'application/xml',
        'content-length': Buffer.byteLength(body),
      });
      response.end(method === 'HEAD' ? undefined : body);
      return;
    }
    const path =
      fault === 'ignore-start-after'
        ? url.replace(/([?&])start-after=[^&]*&?/, '$1')
        : fault === 'ignore-delimiter'
          ? url.replace(/([?&])delimiter=[^&]*&?/, '$1')
          : url;
    const headers = { ...incoming.headers };
    if (ignoreConditions) {
      delete headers['if-none-match'];
      delete headers['if-match'];
    }
    const requestBody: Buffer[] = [];
    const forwardRequest = () => {
      const upstream = forward(
        { host: '127.0.0.1', port: target.port, method, path, headers },
        (answer) => {
          const landed = (answer.statusCode ?? 500) < 300;
          const objectPath = decodeURIComponent(url.split('?')[0] ?? url);
          const query = new URLSearchParams(url.split('?')[1] ?? '');
          const keeps =
            fault === 'versioned' && landed && !query.has('uploadId') && !query.has('versionId');
          if (keeps && (method === 'PUT' || method === 'DELETE')) {
            // A PUT adds a version; a DELETE (without a version id) adds a delete marker.
            const size = Number(
              incoming.headers['x-amz-decoded-content-length'] ??
                incoming.headers['content-length'] ??
                0,
            );
            versions.set(objectPath, [
              ...(versions.get(objectPath) ?? []),
              {
                id: `v${++nextVersion}`,
                size: method === 'PUT' ? size : 0,
                deleteMarker: method === 'DELETE',
              },
            ]);
          }
          if (landed)
            recordForLag(lag, type, url, objectPath, incoming.headers, answer.headers, requestBody);
          if (type === 'LIST' && lag.lagMs > 0) {
            sendLagging(lag, url, answer, response);
            return;
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          if (fault !== 'truncate' && fault !== 'stall-body') {
            answer.pipe(response);
            return;
          }
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const whole = Buffer.concat(chunks);
            response.write(whole.subarray(0, Math.floor(whole.length / 2)));
            // A stalled body keeps its socket open until the client gives up.
            if (fault === 'truncate') response.socket?.destroy();
          });
        },
      );
      upstream.on('error', () => response.socket?.destroy());
      // Attached with the pipe, so no chunk flows before either listens (a delayed request is paused).
      if (type === 'DELETE_MANY') incoming.on('data', (chunk: Buffer) => requestBody.push(chunk));
      if (fault === 'throttle') {
        pipeThrottled(incoming, upstream, rule?.bytesPerSecond ?? 20_000_000);
      } else {
        incoming.pipe(upstream);
      }
    };
    if (fault === 'delay') {
      incoming.pause();
      setTimeout(forwardRequest, rule?.delayMs ?? 1000);
    } else {
      forwardRequest();
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy did not bind');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    seenRequests: () => [...seen],
    versionsOf: (path) =>
      (versions.get(path) ?? []).filter((kept) => !kept.deleteMarker).map((kept) => kept.id),
    requestCounts: () => ({ ...requests }),
    faultCounts: () => ({ ...faults }),
    setRules(next) {
      rules = next.map((rule) => ({ rule, seen: 0 }));
    },
    setListingLag(ms) {
      lag.lagMs = ms;
    },
    setIgnoreConditions(ignore) {
      ignoreConditions = ignore;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes and deletes that landed, for the lagging listing to hold back. */
function recordForLag(
  lag: ListingLag,
  type: S3RequestType,
  url: string,
  objectPath: string,
  requestHeaders: IncomingHttpHeaders,
  answerHeaders: IncomingHttpHeaders,
  requestBody: readonly Buffer[],
): void {
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  if (type === 'PUT' && !query.has('partNumber'))
    lag.recordPut(objectPath, requestHeaders, answerHeaders);
  else if (type === 'OTHER' && query.has('uploadId') && !query.has('partNumber'))
    lag.recordPut(objectPath, {}, answerHeaders);
  else if (type === 'DELETE') lag.recordDelete(objectPath);
  else if (type === 'DELETE_MANY') {
    const bucket = objectPath.replace(/^\/+|\/+$/g, '');
    for (const match of Buffer.concat(requestBody)
      .toString('utf8')
      .matchAll(/<Key>([\s\S]*?)<\/Key>/g))
      lag.recordDelete(`/${bucket}/${unescapeXml(match[1] ?? '')}`);
  }
}

/** A listing answer as the lagging index gives it. */
function sendLagging(
  lag: ListingLag,
  url: string,
  answer: IncomingMessage,
  response: ServerResponse,
): void {
  const chunks: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => chunks.push(chunk));
  answer.on('end', () => {
    const [path = '', query = ''] = url.split('?');
    const bucket = decodeURIComponent(path.replace(/^\/+|\/+$/g, ''));
    const xml = Buffer.concat(chunks).toString('utf8');
    const body =
      (answer.statusCode ?? 500) < 300
        ? lag.rewriteListing(bucket, new URLSearchParams(query), xml)
        : xml;
    response.writeHead(answer.statusCode ?? 502, {
      ...answer.headers,
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
}

/** Copies a request body at a fixed rate, in 16 KiB slices, as a slow uplink would. */
function pipeThrottled(source: IncomingMessage, target: Writable, bytesPerSecond: number): void {
  const started = performance.now();
  let sent = 0;
  const pending: Buffer[] = [];
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const pump = () => {
    timer = undefined;
    while (pending.length > 0) {
      const due = started + (sent / bytesPerSecond) * 1000;
      const wait = due - performance.now();
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        return;
      }
      const chunk = pending.shift() as Buffer;
      const slice = chunk.subarray(0, 16_384);
      if (slice.length < chunk.length) pending.unshift(chunk.subarray(slice.length));
      sent += slice.length;
      target.write(slice);
    }
    if (ended) target.end();
    else source.resume();
  };
  source.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    source.pause();
    if (timer === undefined) pump();
  });
  source.on('end', () => {
    ended = true;
    if (timer === undefined) pump();
  });
  source.on('error', () => target.destroy());
}

/** The region a request was signed for (SigV4 credential scope), if it was signed. */
function signedRegionOf(incoming: IncomingMessage): string | undefined {
  const authorization = String(incoming.headers.authorization ?? '');
  return /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(authorization)?.[1];
}

/**
 * The bucket-configuration and version requests of a versioned bucket, answered from the
 * proxy's own history; anything else (false) goes on to the server.
 */
function answerVersioned(
  incoming: IncomingMessage,
  response: ServerResponse,
  rule: FaultRule | undefined,
  versions: Map<string, KeptVersion[]>,
): boolean {
  const url = new URL(incoming.url ?? '/', 'http://proxy');
  const send = (status: number, body: string) => {
    incoming.resume();
    response.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
    return true;
  };
  const xml = '<?xml version="1.0" encoding="UTF-8"?>';
  if (incoming.method === 'GET' && url.searchParams.has('versioning')) {
    return send(
      200,
      `${xml}<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`,
    );
  }
  if (incoming.method === 'GET' && url.searchParams.has('object-lock')) {
    return rule?.objectLock
      ? send(
          200,
          `${xml}<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>`,
        )
      : send(
          404,
          `${xml}<Error><Code>ObjectLockConfigurationNotFoundError</Code><Message>Object Lock configuration does not exist for this bucket</Message></Error>`,
        );
  }
  if (incoming.method === 'GET' && url.searchParams.has('versions')) {
    const bucket = url.pathname.split('/')[1] ?? '';
    const prefix = url.searchParams.get('prefix') ?? '';
    // Keys in byte order, each key's versions newest first, as S3 lists them; one page.
    const entries = [...versions.entries()]
      .filter(([path]) => path.startsWith(`/${bucket}/${prefix}`))
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .flatMap(([path, kept]) =>
        kept
          .map((version, index) => {
            const common = `<Key>${escapeXml(path.slice(bucket.length + 2))}</Key><VersionId>${version.id}</VersionId><IsLatest>${index === kept.length - 1}</IsLatest><LastModified>2026-01-01T00:00:00.000Z</LastModified>`;
            return version.deleteMarker
              ? `<DeleteMarker>${common}</DeleteMarker>`
              : `<Version>${common}<ETag>"${version.id}"</ETag><Size>${version.size}</Size><StorageClass>STANDARD</StorageClass></Version>`;
          })
          .reverse(),
      );
    return send(
      200,
      `${xml}<ListVersionsResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><IsTruncated>false</IsTruncated>${entries.join('')}</ListVersionsResult>`,
    );
  }
  const versionId = url.searchParams.get('versionId');
  if (incoming.method === 'DELETE' && versionId !== null) {
    const path = decodeURIComponent(url.pathname);
    versions.set(
      path,
      (versions.get(path) ?? []).filter((kept) => kept.id !== versionId),
    );
    incoming.resume();
    response.writeHead(204);
    response.end();
    return true;
  }
  return false;
}

/** A version the `versioned` fault keeps of a key: its bytes, or a delete marker. */
interface KeptVersion {
  readonly id: string;
  readonly size: number;
  readonly deleteMarker: boolean;
}
