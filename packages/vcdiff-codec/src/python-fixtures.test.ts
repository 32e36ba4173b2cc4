import { createHash } from 'node:crypto';
import { readFixtureIndex, readFixtureObject } from '@deltaglider/test-fixtures';
import { describe, expect, it } from 'vitest';
import { decodeVcdiff } from './decode-vcdiff.js';

// Committed deltas written by the Python DeltaGlider (xdelta3 -e -9: LZMA secondary compression
// on): they decode here without any xdelta3 installed.

describe('deltas in the Python-written fixture bucket', async () => {
  const objects = await readFixtureIndex('python-6.1.2-bucket-a');
  const deltas = objects.filter((object) => object.key.endsWith('.delta'));

  it('are there to test', () => {
    expect(deltas.length).toBeGreaterThanOrEqual(10);
  });

  it.each(deltas.map((delta) => [delta.key, delta] as const))(
    '%s decodes to its recorded SHA-256',
    async (key, delta) => {
      const reference = await readFixtureObject(
        'python-6.1.2-bucket-a',
        delta.metadata['dg-ref-key']!,
      );
      const bytes = await readFixtureObject('python-6.1.2-bucket-a', key);
      const file = decodeVcdiff(reference, bytes);
      expect(file.length).toBe(Number(delta.metadata['dg-file-size']));
      expect(createHash('sha256').update(file).digest('hex')).toBe(
        delta.metadata['dg-file-sha256'],
      );
    },
  );
});
