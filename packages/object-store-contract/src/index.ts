export {
  type ContractCaseKey,
  type ContractCaseName,
  contractCaseNames,
} from './contract-case-names.js';
export { type ListedEverything, listEverything, putKeys } from './listing-helpers.js';
export {
  byteOrderKeys,
  type ContractFixture,
  type ObjectStoreContractOptions,
  runObjectStoreContract,
} from './run-object-store-contract.js';
