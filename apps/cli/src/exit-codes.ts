import { BucketNotFoundError, DeltaGliderError, isAbortError, messageOf } from '@deltaglider/sdk';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_RUNTIME_ERROR = 1;
export const EXIT_USAGE_ERROR = 2;
/** 128 + SIGINT, as shells report a command ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** The one place that decides how an error ends the process: its exit code and its line. */
export function describeFailure(error: unknown): { exitCode: number; message: string } {
  // One error root: its `usage` flag alone says whether the caller must change the call.
  if (UsageError.isInstance(error) || (DeltaGliderError.isInstance(error) && error.usage))
    return { exitCode: EXIT_USAGE_ERROR, message: `usage error: ${messageOf(error)}` };
  if (BucketNotFoundError.isInstance(error)) {
    return {
      exitCode: EXIT_RUNTIME_ERROR,
      message: `error: bucket "${error.bucket}" does not exist`,
    };
  }
  if (DeltaGliderError.isInstance(error))
    return { exitCode: EXIT_RUNTIME_ERROR, message: `error: ${error.message}` };
  const local = localFileProblem(error);
  if (local) return { exitCode: EXIT_RUNTIME_ERROR, message: `error: ${local}` };
  if (isAbortError(error)) {
    return { exitCode: EXIT_RUNTIME_ERROR, message: 'error: interrupted; nothing was cached' };
  }
  const text = messageOf(error);
  return { exitCode: EXIT_RUNTIME_ERROR, message: `error: ${text.split('\n')[0]}` };
}

/** Local file errors, in words: `./x.zip: no such file or directory`. */
function localFileProblem(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error) || !('path' in error))
    return undefined;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory (use -r)',
    ENOTDIR: 'not a directory',
    ENOSPC: 'no space left on the device',
  };
  const code = String(error.code);
  return `${String(error.path)}: ${words[code] ?? code}`;
}
