import {
  DEFAULT_STATS_MODE,
  InvalidArgumentError,
  type Logger,
  numberProblem,
  type StatsMode,
  silentLogger,
} from '@deltaglider/sdk';
import { DEFAULT_HOST, DEFAULT_PORT } from './default-address.js';
import { startHttpServer } from './http-server.js';
import { StatsRefresher } from './stats-refresher.js';
import type { StatsSource } from './stats-source.js';
import { resolveTarget } from './stats-target.js';
import { waitAtMost } from './wait-at-most.js';

/** A bucket, or a directory in it, to watch; the mode defaults to the exporter's. */
export interface ExporterTarget {
  readonly bucket: string;
  /** `app`, `app/` and `/app/` all mean the keys under `app/`. Default: the whole bucket. */
  readonly prefix?: string | undefined;
  readonly mode?: StatsMode | undefined;
  /** Read this S3 Inventory (`s3://DEST/PREFIX/`) instead of listing; again when a newer report appears. */
  readonly inventory?: string | undefined;
}

export interface ExporterOptions {
  /** Where stats come from: a `createClient()` client, or anything with the same three calls. */
  readonly client: StatsSource;
  readonly targets: readonly ExporterTarget[];
  /** Seconds between background refreshes of a target. Default 60. */
  readonly intervalSeconds?: number | undefined;
  /** Targets refreshed at once. Default 2. */
  readonly refreshConcurrency?: number | undefined;
  /** The mode of targets that name none, and of `/probe` without `mode=`. Default `quick`. */
  readonly mode?: StatsMode | undefined;
  /** Shown on the status page. */
  readonly version?: string | undefined;
  readonly logger?: Logger | undefined;
  /** Targets `/probe` may add beyond the configured ones. Default 100. */
  readonly maxProbeTargets?: number | undefined;
  /**
   * A bearer token every path but `/healthz` requires (`Authorization: Bearer <token>`;
   * Prometheus: `authorization: { credentials: … }`). Default: none, for a listener that only
   * this machine reaches.
   */
  readonly metricsToken?: string | undefined;
  /** `listen` waits at most this long for the buckets' own caches. Default 5,000 ms. */
  readonly primeTimeoutMs?: number | undefined;
}

export interface ListenOptions {
  /** Default `127.0.0.1`: this machine only. */
  readonly host?: string | undefined;
  /** Default 9340; 0 picks a free port (`url` says which). */
  readonly port?: number | undefined;
}

export interface Exporter {
  /**
   * Starts refreshing, reads each bucket's cache as it is (so the first scrape has numbers),
   * then listens. Resolves with the address, `http://host:port`.
   */
  listen(options?: ListenOptions): Promise<{ readonly url: string }>;
  /** Stops listening and aborts refreshes in flight (an aborted stats call caches nothing). */
  close(): Promise<void>;
}

/**
 * A Prometheus exporter over a DeltaGlider client: `/metrics` (every target), `/probe?bucket=`
 * (one, added on first ask), `/healthz`, `/cache-statistics` and a status page at `/`. Scrapes
 * are answered from what background refreshes hold: no request waits for stats to be computed.
 */
export function createExporter(options: ExporterOptions): Exporter {
  const mode = options.mode ?? DEFAULT_STATS_MODE;
  const targets = options.targets.map((target) => resolveTarget(target, mode));
  const intervalSeconds = checked('intervalSeconds', options.intervalSeconds ?? 60, { min: 1 });
  const concurrency = checked('refreshConcurrency', options.refreshConcurrency ?? 2, 'count');
  const logger = options.logger ?? silentLogger;
  const refresher = new StatsRefresher(options.client, { intervalSeconds, concurrency, logger });
  let server: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  return {
    async listen(listen = {}) {
      if (server) throw new Error('the exporter is already listening');
      for (const target of targets) refresher.watch(target);
      refresher.start();
      await waitAtMost(
        Promise.all(targets.map((target) => refresher.primeFromBucketCache(target))),
        options.primeTimeoutMs ?? 5_000,
      );
      server = await startHttpServer({
        host: listen.host ?? DEFAULT_HOST,
        port: listen.port ?? DEFAULT_PORT,
        client: options.client,
        refresher,
        defaultMode: mode,
        version: options.version ?? '',
        logger,
        maxProbeTargets: options.maxProbeTargets,
        metricsToken: options.metricsToken,
      });
      return { url: server.url };
    },
    async close() {
      await server?.close();
      await refresher.stop();
    },
  };
}

function checked(name: string, value: number, rule: Parameters<typeof numberProblem>[1]): number {
  const problem = numberProblem(value, rule);
  if (problem) throw new InvalidArgumentError(`${name} ${problem}, got ${value}`);
  return value;
}
