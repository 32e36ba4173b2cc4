// Shared by the WebAssembly modules (imported, so each module compiles its own copy in).

/**
 * Copies `length` bytes forward, eight at a time: exactly LZ77's byte-by-byte copy whenever
 * the source starts at least eight bytes before the destination, or after it. Long ones go to
 * memory.copy, a call too costly for the few bytes most copies are.
 */
@inline export function copyForward(to: usize, from: usize, length: usize): void {
  if (length >= 64 && (from >= to + length || from + length <= to)) {
    memory.copy(to, from, length);
    return;
  }
  let left = length;
  let write = to;
  let read = from;
  for (; left >= 8; left -= 8) {
    store<u64>(write, load<u64>(read));
    write += 8;
    read += 8;
  }
  for (; left > 0; left--) store<u8>(write++, load<u8>(read++));
}
