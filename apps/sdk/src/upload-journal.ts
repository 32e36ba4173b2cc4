import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAbortError, type Logger, messageOf, type ObjectStore } from '@deltaglider/core';
import type { JournaledUpload, UploadJournal } from '@deltaglider/s3-adapter';
import { isProcessAlive } from './process-temp-directory.js';

interface JournalEntry extends JournaledUpload {
  readonly endpoint: string;
}

const entryName = (pid: number, uploadId: string) =>
  `${pid}-${encodeURIComponent(uploadId).slice(0, 200)}.json`;

/**
 * A file per multipart upload this process has under way, in `directory` (under the cache
 * directory), removed when the upload completes or is aborted. `kill -9` aborts nothing; the
 * file it leaves lets the next run abort the upload (`abortOrphanedUploads`).
 */
export function createUploadJournal(directory: string, endpoint: string): UploadJournal {
  const path = (upload: JournaledUpload) =>
    join(directory, entryName(process.pid, upload.uploadId));
  return {
    started(upload) {
      try {
        mkdirSync(directory, { recursive: true, mode: 0o700 });
        const entry: JournalEntry = { endpoint, ...upload };
        writeFileSync(path(upload), JSON.stringify(entry));
      } catch {
        // A journal that cannot be written only loses the clean-up after a kill -9.
      }
    },
    ended(upload) {
      rmSync(path(upload), { force: true });
    },
  };
}

/**
 * Aborts the multipart uploads that processes now gone (killed, crashed) left in the journal
 * for this endpoint; returns how many. An abort that fails stays for the next run.
 */
export async function abortOrphanedUploads(
  directory: string,
  endpoint: string,
  store: ObjectStore,
  logger?: Logger,
): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return 0;
  }
  let aborted = 0;
  for (const name of names) {
    const pid = /^(\d+)-.+\.json$/.exec(name)?.[1];
    if (pid === undefined || isProcessAlive(Number(pid))) continue;
    const path = join(directory, name);
    try {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as JournalEntry;
      if (entry.endpoint !== endpoint) continue;
      await store.abortUpload?.(entry.bucket, { ...entry, initiated: new Date(0) });
      rmSync(path, { force: true });
      aborted++;
      logger?.info(
        `aborted the upload of s3://${entry.bucket}/${entry.key} that process ${pid} left unfinished`,
      );
    } catch (error) {
      if (isAbortError(error)) throw error;
      logger?.warn(
        `an unfinished upload left by process ${pid} is not aborted yet: ${messageOf(error)}`,
      );
    }
  }
  return aborted;
}
