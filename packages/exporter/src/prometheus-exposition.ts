/** One sample of a metric family: its labels and value. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A metric family: every sample of one name, under one HELP and TYPE line. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: readonly Sample[];
}

/**
 * The Prometheus text exposition format (0.0.4): each family once, its samples together, as
 * the format requires when several buckets report the same metric.
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  return families
    .filter((family) => family.samples.length > 0)
    .map((family) => {
      const lines = family.samples.map(
        (sample) => `${family.name}${renderLabels(sample.labels)} ${renderValue(sample.value)}`,
      );
      return `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n${lines.join('\n')}\n`;
    })
    .join('');
}

/**
 * Gathers samples of the same family from several sources into one family each, in order; a
 * sample whose labels repeat an earlier one's is dropped (two stats modes of one bucket both
 * report its object count, which the format allows once).
 */
export function mergeFamilies(groups: readonly (readonly MetricFamily[])[]): MetricFamily[] {
  const merged = new Map<string, { family: MetricFamily; samples: Map<string, Sample> }>();
  for (const families of groups)
    for (const family of families) {
      const known = merged.get(family.name) ?? { family, samples: new Map<string, Sample>() };
      for (const sample of family.samples) {
        const key = JSON.stringify(Object.entries(sample.labels));
        if (!known.samples.has(key)) known.samples.set(key, sample);
      }
      merged.set(family.name, known);
    }
  return [...merged.values()].map(({ family, samples }) => ({
    ...family,
    samples: [...samples.values()],
  }));
}

function renderLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
}

function renderValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}
