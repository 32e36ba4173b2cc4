import { DEFAULT_PORT } from '@deltaglider/exporter';
import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type ServeFlags, withServeFlags } from '../serve/serve-config.js';
import type { CliCommand } from './cli-command.js';

export type ServeArguments = EndpointArguments & ServeFlags;

export const serveCommand: CliCommand<ServeArguments> = {
  command: 'serve',
  describe:
    'Run a Prometheus exporter: /metrics, /probe, /healthz and a status page, refreshed in the background',
  builder: (yargs) =>
    withServeFlags(yargs).example(
      '$0 serve --bucket releases --bucket s3://backups/db/ --mode detailed',
      `Scrape http://127.0.0.1:${DEFAULT_PORT}/metrics; the status page is at /`,
    ) as Argv<ServeArguments>,
  run: async (argv, io) => (await import('./serve-run.js')).runServe(argv, io),
};
