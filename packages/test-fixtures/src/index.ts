export {
  type FixtureObject,
  fixtureObjectPath,
  loadFixtureBucket,
  type PythonFixtureBucket,
  pythonFixtureBuckets,
  readFixtureIndex,
  readFixtureObject,
} from './python-fixture-bucket.js';
