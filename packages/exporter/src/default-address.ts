/** Where `serve` listens unless told otherwise: this machine only, on the exporter's port. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 9340;
