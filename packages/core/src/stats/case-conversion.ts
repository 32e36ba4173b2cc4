// The wire (JSON, cache files) is snake_case as in the Python tool; the TypeScript API is
// camelCase. One schema defines the wire shape and these derive the other, type and value.

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type CamelCasedKeys<T> = T extends readonly (infer Item)[]
  ? CamelCasedKeys<Item>[]
  : T extends object
    ? { [K in keyof T as K extends string ? CamelCase<K> : K]: CamelCasedKeys<T[K]> }
    : T;

type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Uppercase<Head> ? (Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`) : Head}${SnakeCase<Tail>}`
  : S;

export type SnakeCasedKeys<T> = T extends readonly (infer Item)[]
  ? SnakeCasedKeys<Item>[]
  : T extends object
    ? { [K in keyof T as K extends string ? SnakeCase<K> : K]: SnakeCasedKeys<T[K]> }
    : T;

export function camelCaseKeys<T>(value: T): CamelCasedKeys<T> {
  return convertKeys(value, (key) =>
    key.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase()),
  ) as CamelCasedKeys<T>;
}

export function snakeCaseKeys<T>(value: T): SnakeCasedKeys<T> {
  return convertKeys(value, (key) =>
    key.replace(/[A-Z]/g, (char) => `_${char.toLowerCase()}`),
  ) as SnakeCasedKeys<T>;
}

function convertKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convertKeys(item, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [rename(key), convertKeys(item, rename)]),
  );
}
