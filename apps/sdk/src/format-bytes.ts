const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `1.5 MiB`, `17 bytes`: binary units, as `aws s3 ls --human-readable` prints them; rates too. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${Math.round(bytes)} bytes`
    : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** `873,433` */
export function formatCount(value: number): string {
  // Grouped by hand: `toLocaleString` builds an ICU number formatter on first use, 15 ms of a
  // warm `deltaglider stats` that prints a few counts.
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en-US');
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+$)/g, ',');
  return value < 0 ? `-${digits}` : digits;
}

/** `3 min ago`, `2 h ago`: how long ago a cache was computed. */
export function formatAge(seconds: number): string {
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

/** `2.1 s`, `340 ms` */
export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000
    ? `${Math.round(milliseconds)} ms`
    : `${(milliseconds / 1000).toFixed(1)} s`;
}
