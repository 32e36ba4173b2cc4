import { libraryConfig } from '../../tsup.library.js';
import { sdkBuildDefines } from './build-defines.js';

export default libraryConfig({ define: sdkBuildDefines });
