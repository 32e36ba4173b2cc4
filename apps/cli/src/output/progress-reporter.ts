import type { StatsProgress } from '@deltaglider/sdk';
import { formatCount } from '@deltaglider/sdk';
import type { CliIo } from '../cli-io.js';

export interface ProgressReporter {
  readonly onProgress?: (progress: StatsProgress) => void;
  /** Clears the progress line before results or errors are printed. */
  done(): void;
}

const REPAINT_EVERY_MS = 100;

/** One self-rewriting line on stderr, only when stderr is a terminal and output is for people. */
export function createProgressReporter(io: CliIo, enabled: boolean): ProgressReporter {
  if (!enabled || !io.stderr.isTTY) return { done() {} };
  let lastPaint = 0;
  let painted = false;
  let listing = '';
  return {
    onProgress(progress) {
      if (progress.phase === 'list')
        listing = `listed ${formatCount(progress.objects)} objects (${progress.pages} pages)`;
      const heads =
        progress.phase === 'head'
          ? `, HEAD ${formatCount(progress.done)}/${formatCount(progress.total)}`
          : '';
      const now = Date.now();
      if (now - lastPaint < REPAINT_EVERY_MS) return;
      lastPaint = now;
      painted = true;
      io.stderr.write(`\r\x1b[2K${listing}${heads}`);
    },
    done() {
      if (painted) io.stderr.write('\r\x1b[2K');
    },
  };
}
