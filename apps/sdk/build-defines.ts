import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));

/**
 * What the SDK's sources expect the build to define (`sdk-version.ts`): for its own build and
 * for any build that bundles those sources (the CLI's).
 */
export const sdkBuildDefines = { __DELTAGLIDER_SDK_VERSION__: JSON.stringify(version) };
