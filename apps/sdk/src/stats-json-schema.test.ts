import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { statsJsonSchemaDocument } from './stats-json-schema.js';

describe('the JSON Schema of stats --json shipped in the package', () => {
  it('is what the zod schema generates (run `pnpm --filter @deltaglider/sdk schema` after a change)', async () => {
    const shipped = JSON.parse(
      await readFile(new URL('../stats-json.schema.json', import.meta.url), 'utf8'),
    );
    expect(shipped).toEqual(statsJsonSchemaDocument());
  });

  it('requires the Python tool fields and the schema version', () => {
    const { required } = statsJsonSchemaDocument() as { required: string[] };
    expect(required).toEqual(
      expect.arrayContaining([
        'bucket',
        'object_count',
        'total_size',
        'compressed_size',
        'space_saved',
        'schema_version',
        'cache',
      ]),
    );
  });
});
