import { formatAge } from '@deltaglider/sdk';
import { UsageError } from '../usage-error.js';

interface WireStatistics {
  readonly cache: {
    readonly hits: number;
    readonly misses: number;
    readonly stale: number;
    readonly refreshed: number;
    readonly errors: number;
  };
  readonly targets: readonly {
    readonly bucket: string;
    readonly prefix: string;
    readonly mode: string;
    readonly source: string;
    readonly age_seconds: number | null;
    readonly refreshing: boolean;
    readonly last_refresh: { ok: boolean; at: string; error?: string } | null;
    readonly consecutive_failures: number;
  }[];
}

/** The exporter could not be asked: a runtime error (exit 1), named after its address. */
class ExporterUnreachableError extends Error {}

/** `cache status --exporter URL`: what a running `deltaglider serve` says of its cache use. */
export async function exporterStatistics(
  base: string,
  json: boolean,
  signal: AbortSignal | undefined,
): Promise<string> {
  let url: URL;
  try {
    url = new URL('/cache-statistics', base);
  } catch {
    throw new UsageError(`--exporter ${JSON.stringify(base)} is not a URL: use http://HOST:PORT`);
  }
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new ExporterUnreachableError(`no exporter answers at ${url.origin}`, { cause: error });
  }
  if (!response.ok)
    throw new ExporterUnreachableError(
      `${url.href} answered ${response.status}: not a deltaglider exporter?`,
    );
  const text = await response.text();
  if (json) return text.endsWith('\n') ? text : `${text}\n`;
  const statistics = JSON.parse(text) as WireStatistics;
  const { cache } = statistics;
  const lines = [
    `${url.origin}  cache statistics of the running exporter`,
    `  hits ${cache.hits}, misses ${cache.misses}, stale ${cache.stale}, refreshed ${cache.refreshed}, errors ${cache.errors}`,
    ...statistics.targets.map((target) => {
      const age =
        target.age_seconds === null
          ? 'no numbers yet'
          : `numbers computed ${formatAge(target.age_seconds)}`;
      const last = target.last_refresh
        ? target.last_refresh.ok
          ? `last refresh worked ${target.last_refresh.at}`
          : `last refresh failed (${target.consecutive_failures} in a row): ${target.last_refresh.error ?? ''}`
        : 'first refresh running';
      return `  s3://${target.bucket}/${target.prefix} (${target.mode})  ${age}, from ${target.source}; ${last}${target.refreshing ? '; refreshing' : ''}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
