import { open } from 'node:fs/promises';
import {
  type InventoryColumns,
  InventoryError,
  type InventoryField,
  type InventoryRow,
  inventoryFields,
} from '@deltaglider/core';

/**
 * The rows of one Parquet data file on local disk (already checked against the manifest's MD5),
 * a row group at a time (hyparquet, pure JavaScript, loaded on first use): only the columns
 * stats use are decoded. Memory follows the largest row group, not the file.
 */
export async function* parquetInventoryRows(
  path: string,
  url: string,
  columns: InventoryColumns,
): AsyncGenerator<InventoryRow[]> {
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
        // No copy unless the file ended early (a truncated file: hyparquet then says so).
        return bytesRead === length ? bytes.buffer : bytes.buffer.slice(0, bytesRead);
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
    for (const { start, end, paged } of rowRanges(metadata.row_groups, wanted)) {
      const rows = end - start;
      const values = new Map<string, ArrayLike<unknown>>();
      // One column at a time: only one column's compressed, decompressed and decoded pages
      // are in memory at once, not every column's.
      for (const { name } of wanted) {
        const pieces: { rowStart: number; data: ArrayLike<unknown> }[] = [];
        await parquetRead({
          file: buffer,
          metadata,
          columns: [name],
          rowStart: start,
          rowEnd: end,
          useOffsetIndex: paged,
          onChunk: ({ columnData, rowStart }) => {
            pieces.push({ rowStart, data: columnData });
          },
        }).catch((error: Error) => {
          throw new InventoryError(url, `cannot be read as Parquet (${error.message})`);
        });
        values.set(name, joined(pieces, start, rows));
      }
      // Rows are made a batch at a time: short-lived, they never outlive a young collection.
      for (let from = 0; from < rows; from += BATCH_ROWS)
        yield rowsOf(wanted, values, from, Math.min(rows, from + BATCH_ROWS), url);
    }
  } finally {
    await handle.close();
  }
}

/** Rows handed on at once. */
const BATCH_ROWS = 1024;

/** Rows decoded at once where a file's pages can be found without reading its column chunks. */
const SLICE_ROWS = 16_384;

interface RowGroupInfo {
  readonly num_rows: bigint | number;
  readonly columns: readonly {
    readonly offset_index_offset?: bigint | number | undefined;
    readonly meta_data?: { readonly path_in_schema: readonly string[] } | undefined;
  }[];
}

/**
 * The row ranges to decode in turn: slices of a row group where each wanted column has an
 * offset index (its pages' locations), so that only the pages of a slice are read and
 * decoded; whole row groups otherwise (a slice would decode the whole column chunk again).
 */
function* rowRanges(
  groups: readonly RowGroupInfo[],
  wanted: readonly WantedColumn[],
): Generator<{ start: number; end: number; paged: boolean }> {
  let groupStart = 0;
  for (const group of groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    const indexed = new Set(
      group.columns
        .filter((column) => column.offset_index_offset !== undefined)
        .map((column) => column.meta_data?.path_in_schema.join('.')),
    );
    if (wanted.every(({ name }) => indexed.has(name)))
      for (let start = groupStart; start < groupEnd; start += SLICE_ROWS)
        yield { start, end: Math.min(groupEnd, start + SLICE_ROWS), paged: true };
    else yield { start: groupStart, end: groupEnd, paged: false };
    groupStart = groupEnd;
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

/** One column's values for rows `start` to `start + rows`, from the chunks decoded. */
function joined(
  pieces: readonly { rowStart: number; data: ArrayLike<unknown> }[],
  start: number,
  rows: number,
): ArrayLike<unknown> {
  const [only] = pieces;
  if (pieces.length === 1 && only!.rowStart === start && only!.data.length === rows)
    return only!.data;
  const values = new Array<unknown>(rows);
  for (const { rowStart, data } of pieces)
    for (let index = 0; index < data.length; index++) {
      const row = rowStart + index - start;
      if (row >= 0 && row < rows) values[row] = data[index];
    }
  return values;
}

function rowsOf(
  wanted: readonly WantedColumn[],
  values: Map<string, ArrayLike<unknown>>,
  from: number,
  to: number,
  url: string,
): InventoryRow[] {
  const columnOf = (field: InventoryField) => {
    const column = wanted.find((entry) => entry.field === field);
    return column ? values.get(column.name) : undefined;
  };
  // In inventoryFields' order.
  const [keys, sizes, etags, latest, markers, classes, multipart] = inventoryFields.map(columnOf);
  const rows: InventoryRow[] = [];
  for (let index = from; index < to; index++) {
    const key = keys?.[index];
    if (typeof key !== 'string' || key === '') throw new InventoryError(url, `a row has no key`);
    const size = sizes?.[index];
    rows.push({
      key,
      size: size === null || size === undefined ? 0 : Number(size),
      etag: optionalString(etags?.[index]),
      isLatest: optionalBoolean(latest?.[index]),
      isDeleteMarker: optionalBoolean(markers?.[index]),
      storageClass: optionalString(classes?.[index]),
      isMultipartUploaded: optionalBoolean(multipart?.[index]),
    });
  }
  return rows;
}

const optionalString = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : undefined;
const optionalBoolean = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
