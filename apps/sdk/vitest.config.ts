import { readFileSync } from 'node:fs';
import { mergeConfig } from 'vitest/config';
import { slowTestsConfig } from '../../vitest.shared.js';

const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));

export default mergeConfig(slowTestsConfig, {
  define: { __DELTAGLIDER_SDK_VERSION__: JSON.stringify(version) },
});
