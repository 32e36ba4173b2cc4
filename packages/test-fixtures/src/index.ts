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
