import type { TransferEvent } from '@deltaglider/sdk';
import { formatBytes } from '@deltaglider/sdk';
import type { CliIo } from '../cli-io.js';

/**
 * One status line for a whole bulk copy, on a terminal only (stderr, redrawn in place like
 * `aws s3 cp`): files and bytes done of the plan, the rate, and the time left. Counted per
 * finished file; an upload's total is known from the start, a download's grows as the listing
 * is read. Other output clears the line first, so lines never mix.
 */
export class TransferProgress {
  readonly #io: CliIo;
  readonly #startedAt = performance.now();
  #plannedFiles: number | undefined;
  #plannedBytes: number | undefined;
  #files = 0;
  #bytes = 0;
  #shown = false;

  constructor(io: CliIo) {
    this.#io = io;
  }

  get enabled(): boolean {
    return this.#io.stderr.isTTY === true;
  }

  /** Call before writing anything else to the terminal. */
  clear(): void {
    if (!this.enabled || !this.#shown) return;
    this.#io.stderr.write('\r\x1b[K');
    this.#shown = false;
  }

  record(event: TransferEvent): void {
    if (event.type === 'planned') {
      this.#plannedFiles = event.files;
      this.#plannedBytes = event.bytes;
    } else if (event.type === 'uploaded') {
      this.#files++;
      this.#bytes += event.result.originalSize;
    } else if (event.type === 'downloaded') {
      this.#files++;
      this.#bytes += event.result.size;
    } else if (event.type === 'failed') this.#files++;
  }

  show(): void {
    if (!this.enabled) return;
    this.#io.stderr.write(`\r\x1b[K${this.describe()}`);
    this.#shown = true;
  }

  /** `Completed 3/10 files, 45.0 MiB/120 MiB (15.2 MiB/s), about 5 s left` */
  describe(): string {
    const seconds = Math.max((performance.now() - this.#startedAt) / 1000, 0.001);
    const rate = this.#bytes / seconds;
    const files =
      this.#plannedFiles === undefined ? `${this.#files}` : `${this.#files}/${this.#plannedFiles}`;
    const bytes =
      this.#plannedBytes === undefined
        ? formatBytes(this.#bytes)
        : `${formatBytes(this.#bytes)}/${formatBytes(this.#plannedBytes)}`;
    const left =
      this.#plannedBytes !== undefined && rate > 0
        ? `, about ${Math.ceil((this.#plannedBytes - this.#bytes) / rate)} s left`
        : '';
    return `Completed ${files} files, ${bytes} (${formatBytes(rate)}/s)${left}`;
  }
}
