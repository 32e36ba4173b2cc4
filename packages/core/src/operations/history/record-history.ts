import { type BucketJsonPlace, readBucketJson, writeBucketJson } from '../../cache/bucket-json.js';
import type { Logger } from '../../ports/logger.js';
import {
  type HistoryPoint,
  MAX_HISTORY_DAYS,
  type StatsHistory,
  statsHistorySchema,
  withPoint,
} from './stats-history.js';

/** A history file is about 100 bytes a day: anything far larger is not ours. */
const MAX_HISTORY_BYTES = MAX_HISTORY_DAYS * 1024;

/** Rounds of read, merge, conditional write before giving up on a busy history. */
const WRITE_ATTEMPTS = 8;

export type HistoryRead =
  | { readonly kind: 'history'; readonly history: StatsHistory; readonly etag?: string }
  | { readonly kind: 'unreadable'; readonly reason: string; readonly etag?: string };

/** The history at `place`: empty when absent; a damaged one is reported, never thrown. */
export async function readStatsHistory(place: BucketJsonPlace): Promise<HistoryRead> {
  const read = await readBucketJson(place, MAX_HISTORY_BYTES);
  if (read.kind === 'absent') return { kind: 'history', history: { version: 1, points: [] } };
  if (read.kind === 'unreadable')
    return { kind: 'unreadable', reason: read.reason, ...(read.etag ? { etag: read.etag } : {}) };
  const parsed = statsHistorySchema.safeParse(read.document);
  if (!parsed.success)
    return { kind: 'unreadable', reason: 'it is not a stats history', etag: read.etag };
  return { kind: 'history', history: parsed.data, etag: read.etag };
}

export type HistoryWrite = 'written' | 'denied' | 'failed';

/**
 * Puts today's point into the history: read, merged (the day's earlier point replaced), and
 * written only over the version read, again from the read on a conflict. So two writers of
 * different days both keep theirs, where the store enforces conditional writes. A damaged
 * history is replaced (with a warning); a denied write is the caller's to take elsewhere.
 */
export async function recordHistoryPoint(
  place: BucketJsonPlace,
  point: HistoryPoint,
  options: { readonly logger: Logger; readonly generator?: string | undefined },
): Promise<HistoryWrite> {
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const read = await readStatsHistory(place);
    if (read.kind === 'unreadable')
      options.logger.warn(`stats history ${place.key} ${read.reason}: starting it again`);
    // The day already holds these numbers (a recompute that found nothing new): no write.
    if (read.kind === 'history' && read.history.points.some((kept) => samePoint(kept, point)))
      return 'written';
    const merged = withPoint(read.kind === 'history' ? read.history : undefined, point);
    const document = { ...merged, generator: options.generator };
    const written = await writeBucketJson(
      place,
      `${JSON.stringify(document)}\n`,
      read.etag ? { etag: read.etag } : { absent: true },
    );
    if (written.outcome === 'written') return 'written';
    if (written.outcome === 'denied') return 'denied';
    if (written.outcome === 'failed') {
      options.logger.warn(`stats history ${place.key} not written: ${written.reason}`);
      return 'failed';
    }
    // Another writer got in between: read theirs and merge again, after a short pause.
    await new Promise((resolve) =>
      setTimeout(resolve, 5 + Math.floor(Math.random() * 20 * attempt)),
    );
  }
  options.logger.warn(
    `stats history ${place.key} not written: ${WRITE_ATTEMPTS} conflicting writers`,
  );
  return 'failed';
}

function samePoint(a: HistoryPoint, b: HistoryPoint): boolean {
  return (
    a.date === b.date &&
    a.stored === b.stored &&
    a.original === b.original &&
    a.billed === b.billed &&
    a.objects === b.objects
  );
}
