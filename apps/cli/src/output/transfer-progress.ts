import type { TransferEvent } from '@deltaglider/sdk';
import { formatBytes } from '@deltaglider/sdk';
import type { CliIo } from '../cli-io.js';

/**
 * One status line for a whole bulk copy, on a terminal only (stderr, redrawn in place like
 * `aws s3 cp`): files and bytes done of the plan, the rate, and the time left. Counted per
 * finished file; an upload's total is known from the start, a download's grows as the listing
 * is read. Other output clears the line first, so lines never mix. The time left appears once
 * the rate means something: some bytes done, and a few seconds measured.
 */
export class TransferProgress {
  readonly #io: CliIo;
  readonly #now: () => number;
  readonly #startedAt: number;
  #plannedFiles: number | undefined;
  #plannedBytes: number | undefined;
  #files = 0;
  #bytes = 0;
  #shown = false;

  /** `now` in milliseconds; tests pass their own clock. */
  constructor(io: CliIo, now: () => number = () => performance.now()) {
    this.#io = io;
    this.#now = now;
    this.#startedAt = now();
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
    const seconds = Math.max((this.#now() - this.#startedAt) / 1000, 0.001);
    const rate = this.#bytes / seconds;
    const files =
      this.#plannedFiles === undefined ? `${this.#files}` : `${this.#files}/${this.#plannedFiles}`;
    const bytes =
      this.#plannedBytes === undefined
        ? formatBytes(this.#bytes)
        : `${formatBytes(this.#bytes)}/${formatBytes(this.#plannedBytes)}`;
    const known = this.#plannedBytes !== undefined && rate > 0 && seconds >= RATE_KNOWN_AFTER_S;
    const left = known
      ? `, about ${formatTimeLeft(((this.#plannedBytes ?? 0) - this.#bytes) / rate)} left`
      : '';
    return `Completed ${files} files, ${bytes} (${formatBytes(rate)}/s)${left}`;
  }
}

/** Before this, a rate is one file's luck: 17 bytes in 0.3 s said "about 719980 s left". */
const RATE_KNOWN_AFTER_S = 2;

/** `40 s`, `12 min`, `2 h 5 min`: as precise as an estimate deserves. */
function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
