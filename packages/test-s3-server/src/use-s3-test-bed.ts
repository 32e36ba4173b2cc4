import { afterAll, beforeAll } from 'vitest';
import { type FaultProxy, type FaultRule, startFaultProxy } from './start-fault-proxy.js';
import { startTestS3Server, type TestS3Server } from './start-test-s3-server.js';

export interface S3TestBed {
  /** The S3-protocol server on 127.0.0.1. */
  readonly server: TestS3Server;
  /** A fault proxy in front of it, for slow, failing or silent answers. */
  readonly proxy: FaultProxy;
}

/**
 * A test server with a fault proxy in front, started before this file's tests (its own
 * `beforeAll` hooks, registered later, can already use them) and stopped after them.
 */
export function useS3TestBed(initialRules: readonly FaultRule[] = []): S3TestBed {
  let server: TestS3Server | undefined;
  let proxy: FaultProxy | undefined;
  beforeAll(async () => {
    server = await startTestS3Server();
    proxy = await startFaultProxy(server, initialRules);
  });
  afterAll(async () => {
    await proxy?.stop();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the S3 test bed starts in beforeAll');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get proxy() {
      return started(proxy);
    },
  };
}
