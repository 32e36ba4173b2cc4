export {
  addProxyListingFacts,
  type FixtureObject,
  type ForeignStatsCache,
  fixtureObjectPath,
  foreignStatsCaches,
  loadFixtureBucket,
  type PythonFixtureBucket,
  pythonFixtureBuckets,
  readFixtureIndex,
  readFixtureObject,
  readForeignStatsCache,
} from './python-fixture-bucket.js';
export {
  directorySink,
  type InventoryEntry,
  type InventoryReportOptions,
  type InventorySink,
  reportFolderOf,
  storeSink,
  writeInventoryReport,
} from './s3-inventory.js';
