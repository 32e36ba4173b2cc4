// Suffixes of files worth delta-encoding: archives and packages, whose versions share most bytes.
const candidateSuffixes = [
  '.tar.gz',
  '.tar.bz2',
  '.tar.xz',
  '.zip',
  '.tar',
  '.gz',
  '.tgz',
  '.bz2',
  '.xz',
  '.7z',
  '.rar',
  '.dmg',
  '.iso',
  '.pkg',
  '.deb',
  '.rpm',
  '.apk',
  '.jar',
  '.war',
  '.ear',
];

/** Whether a file name (not a path) is delta-encoded on upload, by lower-cased suffix. */
export function isDeltaCandidate(name: string): boolean {
  const lower = name.toLowerCase();
  return candidateSuffixes.some((suffix) => lower.endsWith(suffix));
}
