import yargs from 'yargs';
import type { CliIo } from './cli-io.js';
import { CLI_VERSION } from './cli-version.js';
import { STANDARD_STREAM } from './commands/cp.js';
import { commands } from './commands/index.js';
import { describeFailure, EXIT_INTERRUPTED, EXIT_OK } from './exit-codes.js';
import { describeUnknownOption } from './options/unknown-options.js';
import { withEndpoint } from './options/with-endpoint.js';
import { filterRulesIn } from './options/with-filters.js';
import { withTransferSettings } from './options/with-transfer-settings.js';
import { loadStoreModules } from './store-modules.js';
import { UsageError } from './usage-error.js';

export { CLI_VERSION };

/**
 * Runs one command line and returns the exit code. Only this function knows the parser: the
 * commands are plain async functions, and every error becomes one line on stderr here.
 */
export async function runCli(typed: readonly string[], io: CliIo): Promise<number> {
  const args = withStandardStreams(withShortHelp(typed));
  let pending: (() => Promise<void>) | undefined;
  let helpText = '';
  const parser = withTransferSettings(withEndpoint(yargs()))
    .scriptName('deltaglider')
    .usage(
      '$0 <command> [options]\n\nStores versions of similar files as xdelta3 deltas in S3, and tells you what that saved.',
    );
  for (const command of commands) {
    parser.command(command.command, command.describe, command.builder, (argv) => {
      pending = () => command.run(argv as never, io);
    });
  }
  parser
    .option('color', {
      type: 'boolean',
      describe: 'Output never has colour; --no-color is accepted for scripts that pass it',
      global: true,
    })
    .demandCommand(1, 'name a command, e.g. deltaglider stats BUCKET')
    .completion(
      'completion',
      'Print a bash/zsh completion script: deltaglider completion >> ~/.bashrc',
    )
    .recommendCommands()
    .strict()
    .version(CLI_VERSION)
    .epilogue(
      'Exit codes: 0 success, 1 runtime error, 2 usage error, 130 interrupted. DG_LOG_LEVEL=info|debug logs to stderr. DG_STORE_MODULES=pkg[,pkg] loads store adapters for more --endpoint-url schemes.',
    )
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    // --exclude and --include in the order typed: the parser keeps each flag's values apart.
    .middleware((argv) => {
      argv.filterRules = filterRulesIn(typed);
    })
    .fail((message, error) => {
      if (error) throw error;
      // While a command is parsed, the parser holds its options as well as the global ones.
      const unknown = describeUnknownOption(
        args,
        knownOptions(parser as unknown as OptionsOfParser),
      );
      if (unknown) throw new UsageError(unknown);
      // yargs words some refusals over two lines ("Invalid values:\n  Argument: ..."): one line.
      throw new UsageError((message ?? 'invalid command line').replace(/:?\n\s*/g, ': '));
    });

  try {
    await loadStoreModules(io.env);
    await parser.parseAsync([...args], {}, (_error, _argv, output) => {
      helpText = output;
    });
    if (helpText) io.stdout.write(helpText.endsWith('\n') ? helpText : `${helpText}\n`);
    if (pending) await pending();
    return EXIT_OK;
  } catch (error) {
    // Ctrl-C: whatever the interrupted request threw, the answer is "interrupted", at once.
    if (io.signal?.aborted) {
      io.stderr.write('deltaglider: interrupted; partial files were removed\n');
      return EXIT_INTERRUPTED;
    }
    const { exitCode, message } = describeFailure(error);
    // Exactly one line, whatever went wrong: usage is for --help.
    io.stderr.write(`deltaglider: ${message}\n`);
    return exitCode;
  }
}

/** What yargs tells of its options at run time (`getOptions` is left out of its types). */
interface OptionsOfParser {
  getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> };
}

/** Every option name and alias the command being parsed takes. */
function knownOptions(parser: OptionsOfParser): Set<string> {
  const options = parser.getOptions();
  const names = new Set(Object.keys(options.key));
  for (const [name, aliases] of Object.entries(options.alias)) {
    names.add(name);
    for (const alias of aliases) names.add(alias);
  }
  return names;
}

const commandNames = new Set(commands.map((command) => command.command.split(' ')[0]));

/**
 * `-h` is `--help` everywhere but in `ls`, where it means `--human-readable`, as in `ls -h`
 * (and `deltaglider ls -h` predates this). The command is the first word that names one.
 */
function withShortHelp(args: readonly string[]): string[] {
  const command = args.find((arg) => commandNames.has(arg));
  if (command === 'ls') return [...args];
  return args.map((arg) => (arg === '-h' ? '--help' : arg));
}

/** A bare `-` (standard input or output, in `cp`) in the form `cp` expects it: see STANDARD_STREAM. */
function withStandardStreams(args: readonly string[]): string[] {
  return args.map((arg) => (arg === '-' ? STANDARD_STREAM : arg));
}
