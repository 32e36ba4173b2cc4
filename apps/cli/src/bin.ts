import { CLI_VERSION } from './cli-version.js';
import { keepCompiledCode } from './compile-cache.js';

// The SDK's notice that future releases need Node 22 is for maintainers, not for users of a
// command that works today.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** How long in-flight work may take to wind down (remove temp files) after Ctrl-C. */
const INTERRUPT_GRACE_MS = 2_000;
const EXIT_INTERRUPTED = 130;

// Ctrl-C (or SIGTERM) aborts every request, child process and file write in flight; their
// clean-up runs and the command exits 130. Should anything not stop within the grace period,
// the process exits anyway (a per-process temp directory is removed on exit), so a second
// Ctrl-C is never needed.
const controller = new AbortController();
const interrupt = () => {
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
  controller.abort();
  setTimeout(() => process.exit(EXIT_INTERRUPTED), INTERRUPT_GRACE_MS).unref();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

// The reader went away (`deltaglider ls -r s3://b | head -1`): stop quietly, as Unix tools do.
// Exiting runs the temp-directory clean-up; S3 never keeps a half-sent object.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  // Answered before the parser, the SDK and their dependencies load: 0.1 s instead of 0.4 s.
  process.stdout.write(`${CLI_VERSION}\n`);
} else {
  // Before the parser and the commands load, so that their compiled code is kept and reused.
  keepCompiledCode();
  const { runCli } = await import('./run-cli.js');
  process.exitCode = await runCli(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
    stdin: process.stdin,
  });
}
