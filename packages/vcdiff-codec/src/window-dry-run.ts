import { BLOCK_SIZE } from './source-blocks.js';
import { mostListedCopies } from './straight-spans.js';
import {
  type ParsedWindow,
  type SourceCopy,
  type SourceReads,
  sourceReadsOf,
} from './window-decoder.js';

/**
 * A window's dry run over its instructions, done when first asked for and kept, for the choice
 * of runner and then the reads: its copies from the segment (at reference offset `position`),
 * listed where they are few enough (`mostListedCopies`), and its reads at each copy threshold,
 * derived from that list, or else found by a dry run that lists only what it reads straight.
 */
export class WindowDryRun {
  private listed: { copies: SourceCopy[] | undefined } | undefined;
  private readonly readsAt = new Map<number, SourceReads>();

  constructor(
    private readonly window: ParsedWindow,
    private readonly position: number,
  ) {}

  /** Its copies in window order; undefined where they are too many to list. */
  copies(): SourceCopy[] | undefined {
    this.listed ??= {
      copies: this.window.sourceCopies(this.position, mostListedCopies(this.window.targetLength)),
    };
    return this.listed.copies;
  }

  /** Its reads with copies of `direct` bytes or more read straight in. */
  reads(direct: number): SourceReads {
    let reads = this.readsAt.get(direct);
    if (!reads) {
      const copies = this.copies();
      reads = copies
        ? sourceReadsOf(copies, BLOCK_SIZE, direct)
        : this.window.sourceReads(this.position, BLOCK_SIZE, direct);
      this.readsAt.set(direct, reads);
    }
    return reads;
  }
}
