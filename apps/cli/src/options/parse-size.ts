import { UsageError } from '../usage-error.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A byte size as the AWS CLI's `multipart_threshold` takes it: `8388608`, `64MB`, `1.5GiB`.
 * KB/MB/GB/TB are powers of 1024 there, and here: so `64MB` is 64 MiB.
 */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  const unit = UNITS[match?.[2]?.toLowerCase() ?? ''];
  if (
    !match ||
    unit === undefined ||
    (match[2] === '' && match[3] !== undefined && !/^b$/i.test(match[3]))
  )
    throw new UsageError(
      `${flag} takes a size like 8388608, 64MB or 1GiB, not ${JSON.stringify(text)}`,
    );
  return Math.floor(Number(match[1]) * unit);
}
