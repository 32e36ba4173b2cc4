import { slowTestsConfig } from '../../vitest.shared.js';

export default slowTestsConfig;
