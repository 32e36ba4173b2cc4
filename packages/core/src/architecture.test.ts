import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// `pnpm lint` runs the same check; here it also guards every test run: imports point down the
// layers (ports, errors < layout, metadata, store-support < listing < stats < cache < delta <
// operations) and no function passes 80 lines.
it('keeps core layered, with short functions (scripts/check-architecture.mjs)', async () => {
  const script = fileURLToPath(new URL('../../../scripts/check-architecture.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script]);
  expect(stdout).toContain("core's layers point down");
});
