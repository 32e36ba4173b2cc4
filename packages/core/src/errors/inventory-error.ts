import { DeltaGliderError } from './deltaglider-error.js';

/**
 * An S3 Inventory that cannot be read as one: no manifest, a manifest or data file that does
 * not match its checksum, a schema without `Key` or `Size`, a format we do not read, a truncated
 * file. `file` names the file at fault (a URL), so the message can too.
 */
export class InventoryError extends DeltaGliderError {
  readonly file: string;

  constructor(file: string, problem: string, options: { readonly cause?: unknown } = {}) {
    super('INVALID_INVENTORY', `inventory ${file}: ${problem}`, options);
    this.name = 'InventoryError';
    this.file = file;
  }

  static override isInstance(error: unknown): error is InventoryError {
    return DeltaGliderError.isInstance(error) && error.code === 'INVALID_INVENTORY';
  }
}
