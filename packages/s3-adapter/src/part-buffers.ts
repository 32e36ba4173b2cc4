import { Slots } from './slots.js';

/** A part's buffer while one upload holds it; `give` hands it back (call it exactly once). */
export interface HeldPart {
  readonly bytes: Uint8Array;
  /** `reusable: false` after a failed send, whose request may still be reading the bytes. */
  give(reusable: boolean): void;
}

/**
 * The part buffers of every multipart upload of a store: at most `count` held at once (the
 * rest wait in order), and reused rather than allocated per part. A fresh 8 MiB buffer per
 * part would be freed only when V8 next collects, so the process's memory would grow with the
 * object until then (measured: 117 MB for a 48 MiB upload, 162 MB for 96 MiB); reused, it is
 * `count` parts whatever the object's size.
 */
export class PartBuffers {
  readonly #slots: Slots;
  readonly #free: Uint8Array[] = [];

  constructor(count: number) {
    this.#slots = new Slots(count);
  }

  async take(size: number, signal?: AbortSignal): Promise<HeldPart> {
    const release = await this.#slots.acquire(signal);
    // Part sizes only differ between objects so big that 10,000 parts need bigger ones.
    const fits = this.#free.findIndex((buffer) => buffer.byteLength >= size);
    const buffer =
      fits === -1 ? new Uint8Array(size) : (this.#free.splice(fits, 1)[0] as Uint8Array);
    if (fits === -1 && this.#free.length > 0) this.#free.shift();
    let given = false;
    return {
      bytes: buffer.subarray(0, size),
      give: (reusable) => {
        if (given) return;
        given = true;
        if (reusable) this.#free.push(buffer);
        release();
      },
    };
  }
}
