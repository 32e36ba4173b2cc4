/** What one benchmark scenario cost. */
export interface ScenarioResult {
  readonly suite: string;
  readonly scenario: string;
  readonly requests: Readonly<Record<string, number>>;
  readonly connections?: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly note?: string;
}

/** How far an estimated total is from the exact one, as the table's note says it. */
export function estimateError(actual: number, truth: number): string {
  return `total ${((actual / truth - 1) * 100).toFixed(2)} % vs exact`;
}

/** Runs `work`, timing it and sampling this process's resident memory every 25 ms. */
export async function measure<T>(
  work: () => Promise<T>,
): Promise<{ value: T; wallMs: number; peakRssMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  const started = performance.now();
  try {
    const value = await work();
    return {
      value,
      wallMs: performance.now() - started,
      peakRssMb: Math.max(peak, process.memoryUsage.rss()) / 1048576,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** The results as a fixed-width table, one row per scenario. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const header = [
    'suite',
    'scenario',
    'LIST',
    'GET',
    'HEAD',
    'PUT',
    'other',
    'conns',
    'wall',
    'peak RSS',
    'note',
  ];
  const rows = results.map((result) => [
    result.suite,
    result.scenario,
    String(result.requests.LIST ?? 0),
    String(result.requests.GET ?? 0),
    String(result.requests.HEAD ?? 0),
    String(result.requests.PUT ?? 0),
    // Bucket configuration (versioning, Object Lock) and deletes: rare, but counted.
    String(
      Object.entries(result.requests)
        .filter(([type]) => !['LIST', 'GET', 'HEAD', 'PUT'].includes(type))
        .reduce((sum, [, count]) => sum + count, 0),
    ),
    result.connections === undefined ? '-' : String(result.connections),
    result.wallMs >= 1000
      ? `${(result.wallMs / 1000).toFixed(2)} s`
      : `${Math.round(result.wallMs)} ms`,
    `${Math.round(result.peakRssMb)} MB`,
    result.note ?? '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}
