export { startTestS3Server, type TestS3Server } from './start-test-s3-server.js';
