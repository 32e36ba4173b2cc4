import type { Argv } from 'yargs';
import type { EndpointArguments } from '../options/with-endpoint.js';
import { type TimeoutArguments, withTimeout } from '../options/with-timeout.js';
import type { CliCommand } from './cli-command.js';

export interface VerifyArguments extends EndpointArguments, TimeoutArguments {
  readonly target: string;
}

export const verifyCommand: CliCommand<VerifyArguments> = {
  command: 'verify <target>',
  describe:
    'Rebuild a file and check its SHA-256 against its metadata (JSON result; exit 1 on mismatch)',
  builder: (yargs) =>
    withTimeout(yargs)
      .positional('target', {
        type: 'string',
        demandOption: true,
        describe: 's3://BUCKET/KEY (x.zip or x.zip.delta)',
      })
      .example(
        '$0 verify s3://releases/app/app-1.0.1.zip',
        'Prints {"valid": true, ...}',
      ) as Argv<VerifyArguments>,
  run: async (argv, io) => (await import('./verify-run.js')).runVerify(argv, io),
};
