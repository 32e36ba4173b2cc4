/** One `--exclude PATTERN` or `--include PATTERN`, in the order given. */
export interface FilterRule {
  readonly kind: 'exclude' | 'include';
  readonly pattern: string;
}

/**
 * Which keys `--exclude`/`--include` let through, with the AWS CLI's rules: everything is in
 * until a rule says otherwise, every rule is tried in order, and the last one that matches
 * decides. Patterns match the whole path below the named prefix or directory, `*` crossing
 * `/` as in Python's fnmatch (`*.log` matches `logs/today.log`), `?` one character, `[abc]` and
 * `[!abc]` one of or none of a set.
 */
export function keyFilter(rules: readonly FilterRule[]): (relativeKey: string) => boolean {
  const compiled = rules.map((rule) => ({
    include: rule.kind === 'include',
    regex: globRegex(rule.pattern),
  }));
  return (relativeKey) => {
    let included = true;
    for (const rule of compiled) if (rule.regex.test(relativeKey)) included = rule.include;
    return included;
  };
}

function globRegex(pattern: string): RegExp {
  let source = '';
  for (let at = 0; at < pattern.length; at++) {
    const char = pattern[at] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const close = pattern.indexOf(']', at + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let set = pattern.slice(at + 1, close);
      const negated = set.startsWith('!');
      if (negated) set = set.slice(1);
      source += `[${negated ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
      at = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
