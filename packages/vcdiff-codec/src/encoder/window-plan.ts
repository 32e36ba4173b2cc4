export const Op = { Add: 1, Run: 2, Copy: 3, CopyTarget: 4 } as const;
export type Op = (typeof Op)[keyof typeof Op];

const INITIAL_CAPACITY = 1024;

/**
 * A window's instructions: for ADD, RUN and COPY_TARGET `from` is an offset in the target
 * window, for COPY a position in the reference (a double: references may pass 4 GiB).
 *
 * Typed arrays, cleared and filled again window after window: JavaScript arrays grown by a push
 * per instruction were the encoder's main garbage (46 MB on a shuffled 88 MB tar, whose windows
 * hold 100,000 short copies), and garbage at that rate grows V8's young generation by 30 MB.
 * The arrays may be replaced by bigger ones on `push`: read them through the plan each time.
 */
export class WindowPlan {
  ops = new Uint8Array(INITIAL_CAPACITY);
  sizes = new Int32Array(INITIAL_CAPACITY);
  from = new Float64Array(INITIAL_CAPACITY);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  /** Appends an op; an add right after an add of the bytes before it grows that one instead. */
  push(op: Op, size: number, from: number): void {
    const last = this.length - 1;
    if (
      op === Op.Add &&
      this.ops[last] === Op.Add &&
      this.from[last]! + this.sizes[last]! === from
    ) {
      this.sizes[last]! += size;
      return;
    }
    if (this.length === this.ops.length) this.grow();
    this.ops[this.length] = op;
    this.sizes[this.length] = size;
    this.from[this.length] = from;
    this.length++;
  }

  pop(): void {
    this.length--;
  }

  private grow(): void {
    const capacity = 2 * this.ops.length;
    const ops = new Uint8Array(capacity);
    const sizes = new Int32Array(capacity);
    const from = new Float64Array(capacity);
    ops.set(this.ops);
    sizes.set(this.sizes);
    from.set(this.from);
    this.ops = ops;
    this.sizes = sizes;
    this.from = from;
  }
}
