import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@deltaglider/core';
import { createFsObjectStore } from '@deltaglider/fs-adapter';
import { createMemoryObjectStore } from '@deltaglider/memory-adapter';
import {
  type CountingObjectStore,
  createCountingObjectStore,
} from '@deltaglider/object-store-contract';
import { createS3ObjectStore } from '@deltaglider/s3-adapter';
import { startTestS3Server, type TestS3Server } from '@deltaglider/test-s3-server';

/** A fresh empty bucket on one backend, seen through a request-counting store. */
export interface BackendBucket {
  readonly store: CountingObjectStore;
  readonly bucket: string;
  /** The S3 server behind it, when there is one: its own request log is the ground truth. */
  readonly server?: TestS3Server;
}

export interface StatsBackend {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  newBucket(): Promise<BackendBucket>;
}

let bucketCounter = 0;
const nextBucketName = () => `stats-${process.pid}-${++bucketCounter}`;

export function memoryBackend(): StatsBackend {
  return {
    name: 'memory',
    async start() {},
    async stop() {},
    async newBucket() {
      const bucket = nextBucketName();
      return {
        store: createCountingObjectStore(createMemoryObjectStore({ buckets: [bucket] })),
        bucket,
      };
    },
  };
}

export function s3Backend(): StatsBackend {
  let server: TestS3Server | undefined;
  return {
    name: 's3 (test server)',
    async start() {
      server = await startTestS3Server();
    },
    async stop() {
      await server?.stop();
    },
    async newBucket() {
      if (!server) throw new Error('s3 backend not started');
      const bucket = nextBucketName();
      await server.createBucket(bucket);
      const inner = createS3ObjectStore({
        endpoint: server.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        conditionalPut: true,
      });
      return { store: createCountingObjectStore(inner), bucket, server };
    },
  };
}

export function fsBackend(): StatsBackend {
  let root: string | undefined;
  return {
    name: 'fs (file://)',
    async start() {
      root = await mkdtemp(join(tmpdir(), 'dg-stats-'));
    },
    async stop() {
      if (root) await rm(root, { recursive: true, force: true });
    },
    async newBucket() {
      if (!root) throw new Error('fs backend not started');
      const store = createFsObjectStore({ root });
      const bucket = nextBucketName();
      await store.createBucket(bucket);
      return { store: createCountingObjectStore(store), bucket };
    },
  };
}

/** A logger that keeps what it is told, so tests can count warnings. */
export function createRecordingLogger(): Logger & {
  readonly warnings: string[];
  readonly infos: string[];
} {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    warnings,
    infos,
    debug() {},
    info(message) {
      infos.push(message);
    },
    warn(message) {
      warnings.push(message);
    },
  };
}
