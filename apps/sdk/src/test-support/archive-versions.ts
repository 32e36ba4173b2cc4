/** A small seeded PRNG (mulberry32), so generated archives are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Versions of a release archive: incompressible bytes of about `size`, each version changing a
 * few regions and growing a little, as release archives do from one version to the next.
 */
export function archiveVersions(count: number, size = 1_000_000, seed = 7): Uint8Array[] {
  const random = seededRandom(seed);
  const base = new Uint8Array(size);
  for (let index = 0; index < size; index++) base[index] = Math.floor(random() * 256);
  const versions: Uint8Array[] = [];
  let current = base;
  for (let version = 0; version < count; version++) {
    if (version > 0) {
      const grown = new Uint8Array(current.length + 1024);
      grown.set(current);
      for (let index = current.length; index < grown.length; index++)
        grown[index] = Math.floor(random() * 256);
      for (let edit = 0; edit < 8; edit++) {
        const at = Math.floor(random() * (grown.length - 64));
        for (let offset = 0; offset < 64; offset++) grown[at + offset] = Math.floor(random() * 256);
      }
      current = grown;
    }
    versions.push(current);
  }
  return versions;
}
