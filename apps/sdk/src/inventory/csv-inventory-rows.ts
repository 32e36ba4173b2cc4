import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  type InventoryColumns,
  type InventoryDataFile,
  InventoryError,
  type InventoryRow,
} from '@deltaglider/core';
import { CsvRecords, csvRecordToRow } from '@deltaglider/core/adapter-kit';
import { DataFileMd5 } from './data-file-md5.js';

/** Rows handed on at once: large enough to amortise the awaits, small enough to stay cheap. */
const BATCH_ROWS = 256;

/**
 * The rows of one gzipped CSV data file, streamed: the bytes are hashed (MD5, against the
 * manifest's) and gunzipped as they come, and never held whole. A truncated or damaged file,
 * a row that is not one, or a checksum mismatch rejects with `InventoryError` naming it.
 */
export async function* csvInventoryRows(
  body: AsyncIterable<Uint8Array>,
  url: string,
  file: InventoryDataFile,
  columns: InventoryColumns,
): AsyncGenerator<InventoryRow[]> {
  const md5 = new DataFileMd5(url, file);
  const source = Readable.from(md5.through(body));
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const decoder = new TextDecoder();
  const records = new CsvRecords();
  let rowNumber = 0;
  const toRows = (batch: string[][]) =>
    batch.map((record) => {
      rowNumber++;
      try {
        return csvRecordToRow(record, columns);
      } catch (error) {
        throw new InventoryError(url, `row ${rowNumber}: ${(error as Error).message}`);
      }
    });
  let batch: InventoryRow[] = [];
  try {
    for await (const chunk of gunzip) {
      for (const row of toRows(records.push(decoder.decode(chunk, { stream: true }))))
        batch.push(row);
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (InventoryError.isInstance(error)) throw error;
    throw new InventoryError(url, `cannot be read as gzipped CSV (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    source.destroy();
  }
  const rest = records.push(decoder.decode());
  const end = records.end();
  if (end.unfinished) throw new InventoryError(url, 'ends inside a quoted field: truncated?');
  batch.push(...toRows([...rest, ...end.records]));
  md5.check();
  if (batch.length > 0) yield batch;
}
