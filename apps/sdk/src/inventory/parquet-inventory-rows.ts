import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  type InventoryColumns,
  type InventoryDataFile,
  InventoryError,
  type InventoryField,
  type InventoryRow,
} from '@deltaglider/core';

/**
 * The rows of one Parquet data file on local disk, a row group at a time (hyparquet, pure
 * JavaScript, loaded on first use): the file is checked against the manifest's MD5 first, then
 * only the columns stats use are decoded. Memory follows the largest row group, not the file.
 */
export async function* parquetInventoryRows(
  path: string,
  url: string,
  file: InventoryDataFile,
  columns: InventoryColumns,
): AsyncGenerator<InventoryRow[]> {
  await checkMd5(path, url, file);
  const { parquetMetadataAsync, parquetRead } = await import('hyparquet');
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = {
      byteLength: size,
      async slice(start: number, end?: number) {
        const length = (end ?? size) - start;
        const bytes = new Uint8Array(length);
        const { bytesRead } = await handle.read(bytes, 0, length, start);
        return bytes.buffer.slice(0, bytesRead);
      },
    };
    const metadata = await parquetMetadataAsync(buffer).catch((error: Error) => {
      throw new InventoryError(url, `not a complete Parquet file (${error.message})`);
    });
    const wanted = wantedColumns(
      columns,
      metadata.schema.map((element) => element.name),
      url,
    );
    let groupStart = 0;
    for (const group of metadata.row_groups) {
      const rows = Number(group.num_rows);
      const values = new Map(wanted.map(({ name }) => [name, new Array<unknown>(rows)]));
      await parquetRead({
        file: buffer,
        metadata,
        columns: wanted.map(({ name }) => name),
        rowStart: groupStart,
        rowEnd: groupStart + rows,
        onChunk: ({ columnName, columnData, rowStart }) => {
          const target = values.get(columnName);
          if (!target) return;
          for (let index = 0; index < columnData.length; index++) {
            const row = rowStart + index - groupStart;
            if (row >= 0 && row < rows) target[row] = columnData[index];
          }
        },
      }).catch((error: Error) => {
        throw new InventoryError(url, `cannot be read as Parquet (${error.message})`);
      });
      yield rowsOf(wanted, values, rows, url);
      groupStart += rows;
    }
  } finally {
    await handle.close();
  }
}

interface WantedColumn {
  readonly field: InventoryField;
  readonly name: string;
}

/** The Parquet columns of the fields stats read, as the manifest names them. */
function wantedColumns(columns: InventoryColumns, inFile: string[], url: string): WantedColumn[] {
  const wanted = Object.entries(columns.position).map(([field, position]) => ({
    field: field as InventoryField,
    name: columns.names[position]!,
  }));
  for (const { name } of wanted)
    if (!inFile.includes(name))
      throw new InventoryError(url, `has no column ${name}, which the manifest's schema names`);
  return wanted;
}

function rowsOf(
  wanted: readonly WantedColumn[],
  values: Map<string, unknown[]>,
  count: number,
  url: string,
): InventoryRow[] {
  const columnOf = (field: InventoryField) => {
    const column = wanted.find((entry) => entry.field === field);
    return column ? values.get(column.name) : undefined;
  };
  const [keys, sizes, etags, latest, markers, classes, multipart] = (
    [
      'key',
      'size',
      'etag',
      'isLatest',
      'isDeleteMarker',
      'storageClass',
      'isMultipartUploaded',
    ] as const
  ).map(columnOf);
  const rows: InventoryRow[] = new Array(count);
  for (let index = 0; index < count; index++) {
    const key = keys?.[index];
    if (typeof key !== 'string' || key === '')
      throw new InventoryError(url, `row ${index + 1} has no key`);
    const size = sizes?.[index];
    rows[index] = {
      key,
      size: size === null || size === undefined ? 0 : Number(size),
      etag: optionalString(etags?.[index]),
      isLatest: optionalBoolean(latest?.[index]),
      isDeleteMarker: optionalBoolean(markers?.[index]),
      storageClass: optionalString(classes?.[index]),
      isMultipartUploaded: optionalBoolean(multipart?.[index]),
    };
  }
  return rows;
}

const optionalString = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : undefined;
const optionalBoolean = (value: unknown) => (typeof value === 'boolean' ? value : undefined);

async function checkMd5(path: string, url: string, file: InventoryDataFile): Promise<void> {
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path)) md5.update(chunk as Buffer);
  const actual = md5.digest('hex');
  if (actual !== file.md5)
    throw new InventoryError(
      url,
      `its MD5 is ${actual} but the manifest says ${file.md5}: the file is damaged or was replaced`,
    );
}
