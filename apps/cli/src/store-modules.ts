import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf, registerStore, type StoreFactory } from '@deltaglider/sdk';
import { UsageError } from './usage-error.js';

/**
 * Loads the store adapters `$DG_STORE_MODULES` names (comma-separated package names or file
 * paths), so `--endpoint-url az://…` reaches a third-party adapter. A module registers its
 * schemes by calling `registerStore` when imported, or by exporting
 * `stores: { scheme: factory }`. Package names resolve from the working directory first (where
 * the user installed the adapter), then from the CLI's own install.
 */
export async function loadStoreModules(
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): Promise<void> {
  const specifiers = (env.DG_STORE_MODULES ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter(Boolean);
  for (const specifier of specifiers) {
    let loaded: { stores?: Record<string, StoreFactory> };
    try {
      loaded = await import(locate(specifier, cwd));
    } catch (error) {
      throw new UsageError(`DG_STORE_MODULES: cannot load ${specifier}: ${messageOf(error)}`);
    }
    for (const [scheme, factory] of Object.entries(loaded.stores ?? {})) {
      if (typeof factory !== 'function')
        throw new UsageError(
          `DG_STORE_MODULES: ${specifier} exports stores.${scheme}, not a function`,
        );
      registerStore(scheme, factory);
    }
  }
}

function locate(specifier: string, cwd: string): string {
  if (specifier.startsWith('file:')) return specifier;
  if (specifier.startsWith('.') || isAbsolute(specifier))
    return pathToFileURL(resolve(cwd, specifier)).href;
  try {
    return pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(specifier)).href;
  } catch {
    return specifier;
  }
}
