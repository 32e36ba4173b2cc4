/**
 * The first `--name` on the command line that the command does not take, with the option most
 * likely meant. Checked before anything else is judged: `stats --detaled b` read `b` as the
 * unknown option's value and then complained "Not enough non-option arguments", which names
 * the wrong problem.
 */
export function describeUnknownOption(
  args: readonly string[],
  known: ReadonlySet<string>,
): string | undefined {
  for (const arg of args) {
    if (arg === '--') return undefined;
    const match = /^--([^=]+)/.exec(arg);
    if (!match) continue;
    const name = match[1] as string;
    const plain = name.startsWith('no-') ? name.slice(3) : name;
    if (known.has(name) || known.has(plain)) continue;
    const meant = closest(name, known);
    return `unknown option --${name}${meant ? ` (did you mean --${meant}?)` : ''}`;
  }
  return undefined;
}

/** The known name nearest in edits, when it is near enough to be a typo. */
function closest(name: string, known: ReadonlySet<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    if (candidate.length === 1) continue;
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  const allowed = Math.max(1, Math.floor(name.length / 3));
  return best && best.distance <= allowed ? best.name : undefined;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
