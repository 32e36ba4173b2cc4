import type { Argv } from 'yargs';
import type { CliIo } from '../cli-io.js';
import type { EndpointArguments } from '../options/with-endpoint.js';

/**
 * A command: its yargs definition and a plain async function that runs it. Each `run` imports
 * its implementation (`<name>-run.ts`) on first use, so the parser and `--help` never load the
 * SDK, the exporter or zod: that is most of a start-up (BENCHMARKS.md, "Start-up").
 */
export interface CliCommand<Arguments> {
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv<EndpointArguments>) => Argv<Arguments>;
  readonly run: (argv: Arguments, io: CliIo) => Promise<void>;
}
