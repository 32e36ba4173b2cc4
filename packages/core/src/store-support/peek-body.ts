/**
 * Reads the first chunks of `body` until `decide` answers from them (joined), and hands back the
 * answer (undefined where the body ended first) and the body again, whole, for one reader: a
 * codec chooses how to read a delta from its header. `decide` sees every byte taken so far
 * each time, so it should answer within a few small chunks.
 */
export async function peekBody<T>(
  body: AsyncIterable<Uint8Array>,
  decide: (head: Uint8Array) => T | undefined,
): Promise<{ answer: T | undefined; body: AsyncIterable<Uint8Array> }> {
  const chunks = body[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let answer: T | undefined;
  let ended = false;
  try {
    while (answer === undefined) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      answer = decide(joined(head));
    }
  } catch (error) {
    await chunks.return?.();
    throw error;
  }
  return { answer, body: replayed(head, ended ? undefined : chunks) };
}

function joined(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

/** The chunks already taken, then the rest of `chunks`, which is closed however this ends. */
async function* replayed(
  taken: readonly Uint8Array[],
  chunks: AsyncIterator<Uint8Array> | undefined,
): AsyncIterable<Uint8Array> {
  try {
    yield* taken;
    if (!chunks) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  } finally {
    await chunks?.return?.();
  }
}
