/** The SDK's send options take no `undefined` under exactOptionalPropertyTypes. */
export function abortable(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal === undefined ? {} : { abortSignal: signal };
}
