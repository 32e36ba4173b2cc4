// Writes stats-json.schema.json from the zod schema `deltaglider stats --json` follows
// (src/stats-json-schema.ts). Run after a build: pnpm --filter @deltaglider/sdk schema. A test
// fails while the committed file differs from what this writes.
import { writeFile } from 'node:fs/promises';
import { statsJsonSchemaDocument } from '../dist/index.js';

const target = new URL('../stats-json.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(statsJsonSchemaDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
