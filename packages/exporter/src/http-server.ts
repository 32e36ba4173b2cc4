import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  InvalidArgumentError,
  type Logger,
  messageOf,
  type StatsMode,
  snakeCaseKeys,
} from '@deltaglider/sdk';
import { carriesToken } from './bearer-token.js';
import { exporterMetrics } from './exporter-metrics.js';
import type { ProcessMetrics } from './process-metrics.js';
import type { StatsRefresher } from './stats-refresher.js';
import type { StatsSource } from './stats-source.js';
import { resolveTarget, type StatsTarget, targetKey } from './stats-target.js';
import { statusPage } from './status-page.js';
import { waitAtMost } from './wait-at-most.js';

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly client: StatsSource;
  readonly refresher: StatsRefresher;
  /** The mode `/probe` uses when its query names none. */
  readonly defaultMode: StatsMode;
  readonly version: string;
  readonly logger: Logger;
  /** Targets `/probe` may add beyond the configured ones (each is then refreshed for good). */
  readonly maxProbeTargets?: number | undefined;
  /** When set, every path but `/healthz` needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | undefined;
}

export interface HttpServer {
  /** Where it listens, `http://host:port` (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

interface Probes {
  /** Keys (`targetKey`) of the targets /probe added. */
  readonly added: Set<string>;
}

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
/** A probe of a new target waits this long at most for the bucket's cache (one GET). */
const PROBE_PRIME_MS = 2_000;

/**
 * The exporter's HTTP face (node:http): `/metrics`, `/probe?bucket=&prefix=&mode=`, `/healthz`,
 * `/cache-statistics` (JSON) and `/` (the status page). Every answer comes from what the
 * refresher holds: no request waits for stats to be computed.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  // Targets /probe added (refreshed for good, counted against maxProbeTargets): they answer on
  // /probe only, so a sum over /metrics never counts a probed bucket twice.
  const probes: Probes = { added: new Set() };
  // prom-client loads with the server, not with the package: `deltaglider stats` imports this
  // package for its Prometheus format and must not pay for it.
  const { ProcessMetrics: Metrics } = await import('./process-metrics.js');
  const processMetrics = new Metrics(options.version);
  const server = createServer((request, response) => {
    route(request, response, options, probes, processMetrics).catch((error: unknown) => {
      options.logger.warn(`exporter: ${request.url ?? ''}: ${messageOf(error)}`);
      if (!response.headersSent) send(response, 500, 'text/plain', 'internal error\n');
      else response.destroy();
    });
  });
  // A stuck client must not hold a scrape slot (or shutdown) for ever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: HttpServerOptions,
  probes: Probes,
  processMetrics: ProcessMetrics,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://exporter');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'text/plain', 'only GET and HEAD\n');
  }
  const { refresher, client } = options;
  if (
    options.metricsToken &&
    url.pathname !== '/healthz' &&
    !carriesToken(request, options.metricsToken)
  ) {
    response.setHeader('WWW-Authenticate', 'Bearer realm="deltaglider"');
    return send(response, 401, 'text/plain', 'a bearer token is required\n');
  }
  switch (url.pathname) {
    case '/metrics':
      return send(
        response,
        200,
        PROMETHEUS_TEXT,
        exporterMetrics(
          refresher.views().filter((view) => !probes.added.has(targetKey(view.target))),
          client.cacheStatistics(),
        ) + (await processMetrics.render()),
      );
    case '/probe': {
      let target: StatsTarget;
      try {
        target = probeTarget(url.searchParams, options.defaultMode);
      } catch (error) {
        return send(response, 400, 'text/plain', `bad probe: ${messageOf(error)}\n`);
      }
      if (!refresher.view(target)) {
        if (probes.added.size >= (options.maxProbeTargets ?? 100))
          return send(response, 400, 'text/plain', 'bad probe: too many probed targets\n');
        probes.added.add(targetKey(target));
        refresher.watch(target);
        refresher.tick();
        await waitAtMost(refresher.primeFromBucketCache(target), PROBE_PRIME_MS);
      }
      const view = refresher.view(target);
      return send(response, 200, PROMETHEUS_TEXT, exporterMetrics(view ? [view] : [], undefined));
    }
    case '/healthz':
      return send(response, 200, 'text/plain', 'ok\n');
    case '/cache-statistics':
      return send(
        response,
        200,
        'application/json',
        `${JSON.stringify(snakeCaseKeys({ cache: client.cacheStatistics(), targets: refresher.views().map(summaryOf) }), null, 2)}\n`,
      );
    case '/':
      return send(
        response,
        200,
        'text/html; charset=utf-8',
        statusPage(refresher.views(), options.version),
      );
    default:
      return send(response, 404, 'text/plain', 'not found: try /metrics, /probe, /healthz or /\n');
  }
}

/** `/probe`'s query: a valid bucket, an optional prefix and mode, nothing else. */
function probeTarget(query: URLSearchParams, defaultMode: StatsMode): StatsTarget {
  for (const name of query.keys())
    if (!['bucket', 'prefix', 'mode'].includes(name))
      throw new InvalidArgumentError(`unknown parameter ${name}`);
  const bucket = query.get('bucket');
  if (!bucket) throw new InvalidArgumentError('bucket is required');
  const optional = (name: string) => query.get(name) ?? undefined;
  return resolveTarget({ bucket, prefix: optional('prefix'), mode: optional('mode') }, defaultMode);
}

function summaryOf(view: ReturnType<StatsRefresher['views']>[number]) {
  return {
    bucket: view.target.bucket,
    prefix: view.target.prefix,
    mode: view.target.mode,
    source: view.source,
    computed_at: view.computedAt ?? null,
    age_seconds: view.ageSeconds ?? null,
    refreshing: view.refreshing,
    last_refresh: view.lastRefresh ?? null,
    refreshes: view.refreshes,
    consecutive_failures: view.consecutiveFailures,
  };
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
