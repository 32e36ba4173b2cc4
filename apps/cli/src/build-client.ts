import { createClient, type DeltaGliderClient } from '@deltaglider/sdk';
import type { CliIo } from './cli-io.js';
import { type EndpointArguments, resolveEndpoint } from './options/with-endpoint.js';
import { createStderrLogger, parseLogLevel } from './stderr-logger.js';

/** The SDK client the global flags and environment describe, logging to stderr. */
export function buildClient(
  argv: EndpointArguments,
  io: CliIo,
  extra: { concurrency?: number } = {},
): DeltaGliderClient {
  const endpoint = resolveEndpoint(argv['endpoint-url'], io.env);
  return createClient({
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(argv.region === undefined ? {} : { region: argv.region }),
    ...(argv.profile === undefined ? {} : { profile: argv.profile }),
    ...(argv['conditional-put'] === undefined ? {} : { conditionalPut: argv['conditional-put'] }),
    ...(extra.concurrency === undefined ? {} : { concurrency: extra.concurrency }),
    logger: createStderrLogger(io, parseLogLevel(io.env.DG_LOG_LEVEL)),
  });
}
