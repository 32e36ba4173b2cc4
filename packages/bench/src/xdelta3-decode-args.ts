/**
 * `xdelta3 -d` as the Python tool runs it, on files (-f: the output is written anew), wherever
 * the bench times the program's decode: so its decodes in the suite's process and in a fresh
 * one (codec-scenario.ts) are the same command.
 */
export function xdelta3DecodeArgs(reference: string, delta: string, output: string): string[] {
  return ['-d', '-f', '-s', reference, delta, output];
}
