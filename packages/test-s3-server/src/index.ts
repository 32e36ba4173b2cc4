export { type Browser, CHROMIUM, launchHeadlessChromium } from './launch-chromium.js';
export {
  type Fault,
  type FaultProxy,
  type FaultRule,
  type SeenRequest,
  startFaultProxy,
} from './start-fault-proxy.js';
export {
  classifyRequest,
  type S3Request,
  type S3RequestType,
  type SeedObject,
  startTestS3Server,
  type TestS3Server,
} from './start-test-s3-server.js';
export { startTlsFront, type TlsFront } from './start-tls-front.js';
export { type S3TestBed, useS3TestBed } from './use-s3-test-bed.js';
