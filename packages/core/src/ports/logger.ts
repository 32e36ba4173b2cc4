/** Where core reports what it did. Implementations decide format and destination (stderr). */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops everything: the default when the caller gives none. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
};
