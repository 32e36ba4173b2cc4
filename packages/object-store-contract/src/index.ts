export {
  type ContractCaseKey,
  type ContractCaseName,
  contractCaseNames,
} from './contract-case-names.js';
export {
  type CountingObjectStore,
  createCountingObjectStore,
  type StoreCall,
  type StoreOperation,
} from './counting-object-store.js';
export { createFaultyObjectStore, type StoreFault } from './faulty-object-store.js';
export { type ListedEverything, listEverything, putKeys } from './listing-helpers.js';
export {
  byteOrderKeys,
  type ContractFixture,
  type ObjectStoreContractOptions,
  runObjectStoreContract,
} from './run-object-store-contract.js';
