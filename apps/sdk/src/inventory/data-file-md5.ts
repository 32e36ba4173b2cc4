import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type InventoryDataFile, InventoryError } from '@deltaglider/core';

/**
 * The MD5 the manifest gives a data file, checked over the bytes as they pass: while a CSV
 * file is decoded, while a Parquet file is downloaded, so no file is read twice for it.
 */
export class DataFileMd5 {
  private readonly md5 = createHash('md5');

  constructor(
    private readonly url: string,
    private readonly file: InventoryDataFile,
  ) {}

  /** The bytes, unchanged, hashed as they pass. */
  async *through(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      this.md5.update(chunk);
      yield chunk;
    }
  }

  /** Rejects when the bytes that passed are not the ones the manifest describes. */
  check(): void {
    const actual = this.md5.digest('hex');
    if (actual !== this.file.md5)
      throw new InventoryError(
        this.url,
        `its MD5 is ${actual} but the manifest says ${this.file.md5}: the file is damaged or was replaced`,
      );
  }
}

/** Checks a data file on local disk against the manifest's MD5. */
export async function checkFileMd5(
  path: string,
  url: string,
  file: InventoryDataFile,
): Promise<void> {
  const md5 = new DataFileMd5(url, file);
  for await (const _ of md5.through(createReadStream(path)));
  md5.check();
}
