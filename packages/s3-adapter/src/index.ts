export { configuredEndpoint } from './configured-endpoint.js';
export { createS3Client, type S3ClientSettings } from './create-s3-client.js';
export { describeS3Error, mapS3Error, type S3RequestTarget } from './map-s3-error.js';
export {
  DEFAULT_MULTIPART,
  type JournaledUpload,
  type MultipartOptions,
  type MultipartSettings,
  type UploadJournal,
} from './multipart-upload.js';
export {
  createS3ObjectStore,
  type S3ObjectStoreOptions,
  type ServerSideEncryption,
} from './s3-object-store.js';
