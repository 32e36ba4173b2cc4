// Replaced at build time (tsup `define`) and in tests (vitest `define`) by the version in
// package.json, so the published bundle carries one string instead of the whole manifest.
declare const __DELTAGLIDER_SDK_VERSION__: string;

/** This SDK's version, as written into `dg-tool` and the stats cache's generator. */
export const SDK_VERSION: string = __DELTAGLIDER_SDK_VERSION__;
