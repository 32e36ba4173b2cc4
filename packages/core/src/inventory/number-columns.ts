// Columns of numbers for millions of rows: typed arrays in fixed-size chunks, so they grow
// without copying and cost their element size per row (a JavaScript object costs 40 bytes
// or more).

const CHUNK_ROWS = 1 << 16;

type TypedArray = Float64Array | Uint32Array;

class ChunkedColumn<T extends TypedArray> {
  private readonly chunks: T[] = [];
  private count = 0;

  constructor(private readonly allocate: (rows: number) => T) {}

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    const offset = this.count % CHUNK_ROWS;
    if (offset === 0) this.chunks.push(this.allocate(CHUNK_ROWS));
    this.chunks[this.chunks.length - 1]![offset] = value;
    this.count++;
  }

  at(index: number): number {
    return this.chunks[Math.floor(index / CHUNK_ROWS)]![index % CHUNK_ROWS]!;
  }
}

/** Numbers that need all 53 bits: sizes, hashes. */
export class Float64Column extends ChunkedColumn<Float64Array> {
  constructor() {
    super((rows) => new Float64Array(rows));
  }
}

/** Small counts and indexes. */
export class Uint32Column extends ChunkedColumn<Uint32Array> {
  constructor() {
    super((rows) => new Uint32Array(rows));
  }
}

const LARGE = 0xffffffff;

/** Byte counts: 4 bytes each below 4 GiB; the rare larger ones are kept in a map beside. */
export class SizeColumn {
  private readonly small = new Uint32Column();
  private readonly large = new Map<number, number>();

  get length(): number {
    return this.small.length;
  }

  push(size: number): void {
    if (size >= LARGE) this.large.set(this.small.length, size);
    this.small.push(Math.min(size, LARGE));
  }

  at(index: number): number {
    const size = this.small.at(index);
    return size === LARGE ? this.large.get(index)! : size;
  }
}
