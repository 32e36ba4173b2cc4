/**
 * The LZMA encoder's view of its input: the bytes of the stream still within the dictionary,
 * and hash chains over them (4-byte hashes, a table of the latest position per hash and, per
 * position, the distance back to the one before it). Positions are absolute offsets in the
 * stream; the chains are cyclic over `window` positions, so memory is fixed by the dictionary,
 * not by how much passes through.
 */
export class MatchFinder {
  bytes = new Uint8Array(1 << 16);
  /** The stream offset of `bytes[0]`, and the stream offset of the end of what is held. */
  start = 0;
  end = 0;
  private readonly head: Float64Array;
  private readonly chain: Uint32Array;
  private readonly mask: number;
  private readonly shift: number;
  /** Found by the last `find`: the longest match's length and distance (minus one). */
  length = 0;
  distance = 0;
  /** The best match before the longest: shorter, but nearer (0 when there was none). */
  shorterLength = 0;
  shorterDistance = 0;

  constructor(
    /** How far back a match may reach: the dictionary size, a power of two. */
    readonly window: number,
    private readonly depth: number,
    private readonly niceLength: number,
  ) {
    const bits = Math.min(20, Math.max(12, Math.log2(window) - 2));
    this.head = new Float64Array(1 << bits).fill(-1);
    this.chain = new Uint32Array(window);
    this.mask = window - 1;
    this.shift = 32 - bits;
  }

  /**
   * Adds bytes to the stream, dropping what has fallen out of the window to make room; bytes
   * from `needed` on are kept in any case (the encoder may still have to store them).
   */
  append(input: Uint8Array, needed: number): void {
    if (this.end - this.start + input.length > this.bytes.length) {
      const keepFrom = Math.max(this.start, Math.min(needed, this.end - this.window));
      const kept = this.bytes.subarray(keepFrom - this.start, this.end - this.start);
      if (kept.length + input.length > this.bytes.length) {
        const grown = new Uint8Array(ceilPowerOfTwo(kept.length + input.length));
        grown.set(kept);
        this.bytes = grown;
      } else this.bytes.copyWithin(0, keepFrom - this.start, this.end - this.start);
      this.start = keepFrom;
    }
    this.bytes.set(input, this.end - this.start);
    this.end += input.length;
  }

  /** The byte at stream offset `position`. */
  at(position: number): number {
    return this.bytes[position - this.start]!;
  }

  /** How many bytes at `position` repeat those `distance + 1` back, up to `limit`. */
  lengthAt(position: number, distance: number, limit: number): number {
    const from = position - distance - 1;
    if (from < this.start) return 0;
    const bytes = this.bytes;
    const here = position - this.start;
    const there = from - this.start;
    let length = 0;
    while (length < limit && bytes[here + length] === bytes[there + length]) length++;
    return length;
  }

  /**
   * Records `position` in the chains and finds the longest earlier match of at most `limit`
   * bytes into `length` and `distance` (length 0 when there is none of 4 bytes or more).
   */
  find(position: number, limit: number): void {
    this.length = 0;
    this.shorterLength = 0;
    const previous = this.insert(position);
    if (previous < 0 || limit < 4) return;
    const bytes = this.bytes;
    const here = position - this.start;
    const oldest = Math.max(this.start, position - this.window + 1);
    let candidate = previous;
    let best = 3;
    for (let links = this.depth; links > 0 && candidate >= oldest; links--) {
      const there = candidate - this.start;
      if (bytes[there + best] === bytes[here + best]) {
        let length = 0;
        while (length < limit && bytes[there + length] === bytes[here + length]) length++;
        if (length > best) {
          this.shorterLength = this.length;
          this.shorterDistance = this.distance;
          best = length;
          this.length = length;
          this.distance = position - candidate - 1;
          if (length >= this.niceLength || length >= limit) return;
        }
      }
      const back = this.chain[candidate & this.mask]!;
      if (back === 0) return;
      candidate -= back;
    }
  }

  /** Records `position` in the chains without searching (for bytes a match already covers). */
  skip(position: number): void {
    this.insert(position);
  }

  private insert(position: number): number {
    const here = position - this.start;
    if (position + 4 > this.end) return -1;
    const bytes = this.bytes;
    const key =
      bytes[here]! | (bytes[here + 1]! << 8) | (bytes[here + 2]! << 16) | (bytes[here + 3]! << 24);
    const slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    const previous = this.head[slot]!;
    this.head[slot] = position;
    const back = previous < 0 ? 0 : position - previous;
    this.chain[position & this.mask] = back < this.window ? back : 0;
    return back > 0 && back < this.window ? previous : -1;
  }
}

function ceilPowerOfTwo(value: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(value, 1 << 16)));
}
