// Shared by the WebAssembly modules (imported, so each module compiles its own copy in). Not
// inlined: the window module calls it from three places, one of them `proceed`'s loop, which
// is to stay short (see vcdiff-window.ts).

/**
 * Copies `length` bytes forward: exactly LZ77's byte-by-byte copy whenever the source starts
 * at least eight bytes before the destination, or after it. Long ones go to memory.copy, a call
 * too costly for the few bytes most copies are. The others move in whole words, the last word
 * ending where the copy ends: it writes again a few bytes the word before wrote, with the same
 * values, where a byte loop of unpredictable length would mispredict its exit.
 */
export function copyForward(to: usize, from: usize, length: usize): void {
  if (length >= 64 && (from >= to + length || from + length <= to)) {
    memory.copy(to, from, length);
    return;
  }
  const gap = from < to ? to - from : from - to;
  // A word may read only bytes that are final: at least its width behind what it writes.
  if (ASC_FEATURE_SIMD && length >= 16 && gap >= 16) {
    const last = length - 16;
    for (let done: usize = 0; done < last; done += 16)
      v128.store(to + done, v128.load(from + done));
    v128.store(to + last, v128.load(from + last));
    return;
  }
  if (length >= 8 && gap >= 8) {
    const last = length - 8;
    for (let done: usize = 0; done < last; done += 8)
      store<u64>(to + done, load<u64>(from + done));
    store<u64>(to + last, load<u64>(from + last));
    return;
  }
  if (length >= 4 && gap >= 4) {
    store<u32>(to, load<u32>(from));
    store<u32>(to + length - 4, load<u32>(from + length - 4));
    return;
  }
  for (let index: usize = 0; index < length; index++)
    store<u8>(to + index, load<u8>(from + index));
}
