import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeltaGliderClient } from './create-client.js';
import { archiveVersions } from './test-support/archive-versions.js';
import { useRaceBed } from './test-support/race-bed.js';

// What each command costs in requests, counted at a proxy in front of the S3 test server, on a
// server that enforces conditional writes and on one that ignores them (the proxy drops the
// headers). Exact counts: BENCHMARKS.md quotes them.

const bed = useRaceBed(archiveVersions(3, 300_000, 5), 'costs');
let clients = 0;

/** Requests of one call, by type, from a fresh client (a `deltaglider` process of its own). */
async function costOf(call: (client: DeltaGliderClient) => Promise<unknown>) {
  const client = bed.client(`${++clients}`);
  const before = bed.proxy.requestCounts();
  await call(client);
  const after = bed.proxy.requestCounts();
  return Object.fromEntries(
    Object.entries(after)
      .map(([type, count]) => [type, (count ?? 0) - (before[type as keyof typeof before] ?? 0)])
      .filter(([, count]) => count !== 0),
  );
}

describe.each([
  ['enforces conditional writes', false],
  ['ignores conditional writes', true],
] as const)('requests on a server that %s', (_name, ignoreConditions) => {
  it('for a first upload, a delta upload and an rm', async () => {
    const bucket = `costs-${ignoreConditions ? 'lenient' : 'strict'}`;
    await bed.server.createBucket(bucket);
    bed.proxy.setIgnoreConditions(ignoreConditions);
    try {
      const first = await costOf((c) => c.upload(join(bed.scratch, 'app-0.zip'), bucket, 'dir/'));
      if (ignoreConditions) {
        // No reference can be made safely: stored whole (a seeded reference serves the rest).
        await bed.checker.upload(join(bed.scratch, 'app-0.zip'), bucket, 'seeded/');
      }
      const directory = ignoreConditions ? 'seeded/' : 'dir/';
      const delta = await costOf((c) =>
        c.upload(join(bed.scratch, 'app-1.zip'), bucket, directory),
      );
      const removal = await costOf((c) => c.remove(bucket, `${directory}app-1.zip`));
      // Every process asks once whether the bucket keeps listing facts (LIST, max-keys 1).
      // First upload, enforced: HEAD of the reference; the probe (3 PUT, 2 DELETE, 1 HEAD:
      // once per process); the reference and its zero-diff delta (2 PUT); the claim (DELETE of
      // a mark, HEAD of a tombstone); the HEAD that the reference holds; the DELETE of an
      // earlier version stored whole. Ignored: the probe stops at its first refusal that does
      // not come (2 PUT, 2 DELETE), then the file is stored whole (PUT, DELETE of a delta).
      expect(first).toEqual(
        ignoreConditions
          ? { HEAD: 1, PUT: 3, DELETE: 3, LIST: 1 }
          : { HEAD: 4, PUT: 5, DELETE: 4, LIST: 1 },
      );
      // HEAD and GET of the reference, PUT of the delta, the claim, the HEAD after, the DELETE
      // of an earlier version stored whole.
      expect(delta).toEqual({ HEAD: 3, GET: 1, PUT: 1, DELETE: 2, LIST: 1 });
      // HEAD of the name and of its delta, DELETE of the delta; the reference stays for gc.
      expect(removal).toEqual({ HEAD: 2, DELETE: 1, LIST: 1 });
    } finally {
      bed.proxy.setIgnoreConditions(false);
    }
  });
});
