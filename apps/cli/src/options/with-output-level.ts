import type { Argv } from 'yargs';

export interface OutputLevelArguments {
  readonly quiet?: boolean | undefined;
  readonly 'only-show-errors'?: boolean | undefined;
  readonly progress?: boolean | undefined;
}

/** What a command prints besides errors, which always go to stderr. */
export interface OutputLevel {
  /** One line per file copied or removed (stdout). */
  readonly operations: boolean;
  /** Skipped files and other warnings (stderr). */
  readonly warnings: boolean;
  /** The closing `N done, 0 failed` (stderr). */
  readonly summary: boolean;
  /** The progress line on a terminal (stderr). */
  readonly progress: boolean;
}

/** `--quiet`, `--only-show-errors` and `--no-progress`, as `aws s3 cp` and `rm` take them. */
export function withOutputLevel<T>(yargs: Argv<T>): Argv<T & OutputLevelArguments> {
  return yargs
    .option('quiet', {
      type: 'boolean',
      describe: 'Print nothing but errors',
    })
    .option('only-show-errors', {
      type: 'boolean',
      describe: 'Print errors and warnings only',
    })
    .option('progress', {
      type: 'boolean',
      describe: 'The progress line on a terminal (--no-progress hides it)',
    }) as Argv<T & OutputLevelArguments>;
}

export function outputLevelOf(argv: OutputLevelArguments): OutputLevel {
  const quiet = argv.quiet === true;
  const errorsOnly = quiet || argv['only-show-errors'] === true;
  return {
    operations: !errorsOnly,
    warnings: !quiet,
    summary: !errorsOnly,
    progress: !errorsOnly && argv.progress !== false,
  };
}
