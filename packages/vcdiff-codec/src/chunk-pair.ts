/**
 * Two buffers taken in turn for the chunks a decode hands over (a window TypeScript ran, or a
 * 1 MiB piece of one WebAssembly ran), when its caller has let go of each chunk by the time it
 * asks for the one after next (`reuseChunks`). A chunk then goes into memory used before
 * instead of fresh pages, which the kernel faults in and zeroes the first time they are
 * touched: 8 MiB took 4 ms fresh and under 1 ms reused (measured).
 */
export class ChunkPair {
  private readonly buffers: Uint8Array[] = [];
  private turn = 0;

  /** `length` bytes of the buffer whose turn it is: the one handed over the time before last. */
  take(length: number): Uint8Array {
    const turn = this.turn;
    this.turn = 1 - turn;
    let buffer = this.buffers[turn];
    if (!buffer || buffer.length < length) buffer = this.buffers[turn] = new Uint8Array(length);
    return buffer.subarray(0, length);
  }
}
