import { InvalidArgumentError, type Logger, type ObjectStore } from '@deltaglider/core';
import type { S3Settings } from './s3-settings.js';

/** What a store factory is given: the endpoint URL and the client's settings. */
export interface StoreRequest {
  /** The endpoint as given, e.g. `az://account/container`. */
  readonly endpoint: string;
  /** Its scheme, lower-cased, without `:` (`az`). */
  readonly scheme: string;
  /** Send `If-None-Match`/`If-Match` (false for a server that refuses them). */
  readonly conditionalPut: boolean;
  /** S3 settings, for factories that speak S3 (ignored by others). */
  readonly s3: S3Settings;
  /** `file://`: use directories that hold files the tool did not write. */
  readonly adoptDirectories: boolean;
  readonly logger: Logger | undefined;
}

/** Builds the store an endpoint names. Called once per client; it may connect lazily. */
export type StoreFactory = (request: StoreRequest) => ObjectStore;

// One registry per process, even when two copies of the SDK are installed (a store package may
// resolve its own): it hangs off a registry-wide symbol.
const registryKey = Symbol.for('@deltaglider/sdk/store-registry');
type Registry = Map<string, StoreFactory>;
const globals = globalThis as { [registryKey]?: Registry };
globals[registryKey] ??= new Map();
const registry: Registry = globals[registryKey];

const SCHEME = /^[a-z][a-z0-9+.-]*$/;

function schemeName(scheme: string): string {
  const name = scheme.replace(/:(\/\/)?$/, '').toLowerCase();
  if (!SCHEME.test(name))
    throw new InvalidArgumentError(`invalid URL scheme ${JSON.stringify(scheme)}`);
  return name;
}

/**
 * Makes `scheme://…` endpoints build stores with `factory`, in `createClient({ endpoint })` and
 * the CLI's `--endpoint-url` alike. A later registration of the same scheme replaces the earlier
 * one, so an adapter may also replace a built-in (`s3`, `http`, `https`, `file`, `memory`).
 */
export function registerStore(scheme: string, factory: StoreFactory): void {
  registry.set(schemeName(scheme), factory);
}

/** The schemes an endpoint may use, built-in and registered. */
export function storeSchemes(): string[] {
  return [...registry.keys()].sort();
}

/** The factory for an endpoint's scheme; a scheme nobody registered is a usage error. */
export function storeFactoryFor(endpoint: string): { scheme: string; factory: StoreFactory } {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(endpoint)?.[1]?.toLowerCase();
  const factory = scheme === undefined ? undefined : registry.get(scheme);
  if (scheme === undefined || factory === undefined) {
    const known = storeSchemes().map((name) => `${name}://`);
    throw new InvalidArgumentError(
      `invalid endpoint ${JSON.stringify(endpoint)}: use one of ${known.join(', ')} (registerStore adds more)`,
    );
  }
  return { scheme, factory };
}
