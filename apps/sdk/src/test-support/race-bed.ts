import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FaultProxy,
  startFaultProxy,
  startTestS3Server,
  type TestS3Server,
} from '@deltaglider/test-s3-server';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ClientOptions, createClient, type DeltaGliderClient } from '../create-client.js';
import { createDirectoryReferenceCache } from '../reference-cache.js';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface RaceBed {
  readonly server: TestS3Server;
  /** The fault proxy in front of the server, where races are slowed, stalled or lagged. */
  readonly proxy: FaultProxy;
  /** A directory holding `app-<index>.zip` for each version, and the clients' caches. */
  readonly scratch: string;
  /**
   * A client of its own, as a separate `deltaglider` process would be (its own S3 client and
   * reference cache), through the proxy unless `endpoint` says otherwise.
   */
  client(name: string, options?: Partial<ClientOptions>): DeltaGliderClient;
  /** Straight at the server: arranges buckets and checks what the races left. */
  readonly checker: DeltaGliderClient;
  /** The key downloads (through the checker) byte-identical to version `index`. */
  expectIntact(bucket: string, key: string, index: number): Promise<void>;
}

/**
 * The S3 test server, a fault proxy in front of it and the versions written to a scratch
 * directory, started before this file's tests and stopped after them.
 */
export function useRaceBed(versions: readonly Uint8Array[], name: string): RaceBed {
  let started: { server: TestS3Server; proxy: FaultProxy; scratch: string } | undefined;
  let checker: DeltaGliderClient | undefined;
  const running = () => {
    if (!started) throw new Error('the race bed starts in beforeAll');
    return started;
  };
  const bed: RaceBed = {
    get server() {
      return running().server;
    },
    get proxy() {
      return running().proxy;
    },
    get scratch() {
      return running().scratch;
    },
    get checker() {
      if (!checker) throw new Error('the race bed starts in beforeAll');
      return checker;
    },
    client(clientName, options = {}) {
      return createClient({
        endpoint: running().proxy.endpoint,
        s3: { credentials },
        referenceCache: createDirectoryReferenceCache(
          join(running().scratch, `cache-${clientName}`),
        ),
        ...options,
      });
    },
    async expectIntact(bucket, key, index) {
      const { path } = await bed.checker.download(bucket, key, join(bed.scratch, 'downloaded'));
      expect(sha256(await readFile(path)), `${key} downloads as uploaded`).toBe(
        sha256(versions[index]!),
      );
    },
  };
  beforeAll(async () => {
    const server = await startTestS3Server();
    const proxy = await startFaultProxy(server);
    const scratch = await mkdtemp(join(tmpdir(), `dg-${name}-`));
    for (const [index, bytes] of versions.entries())
      await writeFile(join(scratch, `app-${index}.zip`), bytes);
    started = { server, proxy, scratch };
    checker = bed.client('checker', { endpoint: server.endpoint });
  });
  afterAll(async () => {
    await started?.proxy.stop();
    await started?.server.stop();
    if (started) await rm(started.scratch, { recursive: true, force: true });
  });
  return bed;
}
