/**
 * Reads a DeltaGlider metadata field under any spelling the Python tool has used:
 * `dg-file-size`, `dg_file_size`, `file_size`, `file-size`, in that order; the first
 * non-empty value wins. `field` is given with dashes (`file-size`).
 */
export function readMetadataField(
  metadata: Readonly<Record<string, string>>,
  field: string,
): string | undefined {
  const underscored = field.replaceAll('-', '_');
  for (const name of [`dg-${field}`, `dg_${underscored}`, underscored, field]) {
    const value = metadata[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** A byte count written as a decimal string; anything else (negative, fractional, junk) is absent. */
export function readMetadataSize(
  metadata: Readonly<Record<string, string>>,
  field: string,
): number | undefined {
  const value = readMetadataField(metadata, field)?.trim();
  if (value === undefined || !/^\d{1,16}$/.test(value)) return undefined;
  const size = Number(value);
  return Number.isSafeInteger(size) ? size : undefined;
}
