import { describe, expect, it } from 'vitest';
import { InventoryError } from '../errors/inventory-error.js';
import { chooseReportFolder } from './inventory-dates.js';
import { parseInventoryManifest } from './inventory-manifest.js';

// The manifests AWS documents (storage-inventory-location.md), one per format.
const documented = {
  sourceBucket: 'example-source-bucket',
  destinationBucket: 'arn:aws:s3:::example-inventory-destination-bucket',
  version: '2016-11-30',
  creationTimestamp: '1514944800000',
};
const csvManifest = {
  ...documented,
  fileFormat: 'CSV',
  fileSchema:
    'Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, ReplicationStatus, EncryptionStatus, ObjectLockRetainUntilDate, ObjectLockMode, ObjectLockLegalHoldStatus, IntelligentTieringAccessTier, BucketKeyStatus, ChecksumAlgorithm',
  files: [
    {
      key: 'Inventory/example-source-bucket/2016-11-06T21-32Z/files/939c6d46-85a9-4ba8-87bd-9db705a579ce.csv.gz',
      size: 2147483647,
      MD5checksum: 'f11166069f1990abeb9c97ace9cdfabc',
    },
  ],
};
const parquetManifest = {
  ...documented,
  fileFormat: 'Parquet',
  fileSchema:
    'message s3.inventory { required binary bucket (UTF8); required binary key (UTF8); optional binary version_id (UTF8); optional boolean is_latest; optional boolean is_delete_marker; optional int64 size; optional int64 last_modified_date (TIMESTAMP_MILLIS); optional binary e_tag (UTF8); optional binary storage_class (UTF8); optional boolean is_multipart_uploaded; optional binary replication_status (UTF8); optional binary encryption_status (UTF8); optional int64 object_lock_retain_until_date (TIMESTAMP_MILLIS); optional binary object_lock_mode (UTF8); optional binary object_lock_legal_hold_status (UTF8); optional binary intelligent_tiering_access_tier (UTF8); optional binary bucket_key_status (UTF8); optional binary checksum_algorithm (UTF8); }',
  files: [
    {
      key: 'inventory/example-source-bucket/data/d754c470-85bb-4255-9218-47023c8b4910.parquet',
      size: 56291,
      MD5checksum: '5825f2e18e1695c2d030b9f6eexample'.replace('example', '0a0a0a0'),
    },
  ],
};
const orcManifest = {
  ...documented,
  fileFormat: 'ORC',
  fileSchema:
    'struct<bucket:string,key:string,version_id:string,is_latest:boolean,is_delete_marker:boolean,size:bigint>',
  files: [],
};

const parse = (manifest: unknown) =>
  parseInventoryManifest(JSON.stringify(manifest), 's3://dest/m.json');

describe('parseInventoryManifest', () => {
  it("reads AWS's CSV example: columns by position, the date, the files", () => {
    const manifest = parse(csvManifest);
    expect(manifest.format).toBe('CSV');
    expect(manifest.sourceBucket).toBe('example-source-bucket');
    expect(manifest.asOf.toISOString()).toBe('2018-01-03T02:00:00.000Z');
    expect(manifest.columns.position).toEqual({
      key: 1,
      isLatest: 3,
      isDeleteMarker: 4,
      size: 5,
      etag: 7,
      storageClass: 8,
      isMultipartUploaded: 9,
    });
    expect(manifest.files).toEqual([
      { key: csvManifest.files[0]!.key, size: 2147483647, md5: 'f11166069f1990abeb9c97ace9cdfabc' },
    ]);
  });

  it("reads AWS's Parquet example: snake-case column names", () => {
    const manifest = parse(parquetManifest);
    expect(manifest.format).toBe('Parquet');
    expect(manifest.columns.names[1]).toBe('key');
    expect(manifest.columns.names[7]).toBe('e_tag');
    expect(manifest.columns.position).toMatchObject({ key: 1, size: 5, etag: 7, isLatest: 3 });
  });

  it('refuses ORC, naming what to configure instead', () => {
    expect(() => parse(orcManifest)).toThrow(
      /s3:\/\/dest\/m\.json: the inventory is in ORC format.*CSV or Apache Parquet/,
    );
  });

  it('refuses a schema without Size, a damaged document, and what is not a manifest', () => {
    expect(() => parse({ ...csvManifest, fileSchema: 'Bucket, Key, ETag' })).toThrow(
      /has no Size column/,
    );
    expect(() => parseInventoryManifest('{"sourceBucket": ', 'm.json')).toThrow(InventoryError);
    expect(() => parse({ ...csvManifest, files: [{ key: 'x' }] })).toThrow(
      /not an S3 Inventory manifest: files\.0\.MD5checksum/,
    );
  });
});

describe('chooseReportFolder', () => {
  const folders = ['2026-11-30T01-00Z', 'data', 'hive', '2026-12-01T01-00Z', '2026-12-01T13-00Z'];
  it('takes the latest report, or the one a date names', () => {
    expect(chooseReportFolder(folders)).toBe('2026-12-01T13-00Z');
    expect(chooseReportFolder(folders, '2026-11-30')).toBe('2026-11-30T01-00Z');
    expect(chooseReportFolder(folders, '2026-12-01T01-00Z')).toBe('2026-12-01T01-00Z');
    expect(chooseReportFolder(folders, '2026-12-02')).toBeUndefined();
    expect(chooseReportFolder(['data', 'hive'])).toBeUndefined();
    expect(() => chooseReportFolder(folders, 'yesterday')).toThrow(/neither a day/);
  });
});
