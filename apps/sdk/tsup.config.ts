import { readFileSync } from 'node:fs';
import { libraryConfig } from '../../tsup.library.js';

const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));

export default libraryConfig({
  define: { __DELTAGLIDER_SDK_VERSION__: JSON.stringify(version) },
});
