/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Standard input, for `cp - s3://...`. */
  readonly stdin?: AsyncIterable<Uint8Array> | undefined;
}

export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  readonly isTTY?: boolean;
  /** Where the stream can say it is full (`write` returned false), for bytes piped through. */
  once?(event: 'drain', listener: () => void): unknown;
}
