/**
 * A growing list of byte counts in a typed array: 4 bytes each (8 once one passes 4 GiB)
 * where a JavaScript array of numbers costs 8 and grows in larger steps. A deltaspace keeps
 * every delta's size for its median, so across millions of deltas this is most of a stats
 * call's memory.
 */
export class SizeList {
  private values: Uint32Array | Float64Array = new Uint32Array(8);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(size: number): void {
    if (this.count === this.values.length) this.values = this.grown(this.values.length * 2);
    if (size > 0xffffffff && this.values instanceof Uint32Array)
      this.values = Float64Array.from(this.values);
    this.values[this.count++] = size;
  }

  append(other: SizeList): void {
    for (let index = 0; index < other.count; index++) this.push(other.values[index]!);
  }

  /** The median (the mean of the middle two for an even count); 0 for none. */
  median(): number {
    if (this.count === 0) return 0;
    const sorted = this.values.slice(0, this.count).sort();
    const middle = this.count >> 1;
    return this.count % 2 === 1
      ? sorted[middle]!
      : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
  }

  private grown(length: number): Uint32Array | Float64Array {
    const next =
      this.values instanceof Uint32Array ? new Uint32Array(length) : new Float64Array(length);
    next.set(this.values);
    return next;
  }
}
