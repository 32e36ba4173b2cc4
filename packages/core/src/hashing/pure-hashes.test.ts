import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pureHashes, sha256OfText } from './pure-hashes.js';

const native = (algorithm: string, chunks: Uint8Array[]) => {
  const hash = createHash(algorithm);
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
};

describe('pure hashes', () => {
  it('give the published digests of the RFC 1321 and FIPS 180 test messages', () => {
    const digest = (algorithm: 'sha256' | 'md5', text: string) => {
      const hash = pureHashes(algorithm);
      hash.update(new TextEncoder().encode(text));
      return hash.digestHex();
    };
    expect(digest('md5', '')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(digest('md5', 'abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(digest('md5', 'message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(digest('sha256', 'abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(digest('sha256', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(sha256OfText('')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it("match Node's crypto for any bytes, fed in any chunks (padding edges included)", () => {
    const chunkLists = fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 });
    fc.assert(
      fc.property(chunkLists, (chunks) => {
        for (const algorithm of ['sha256', 'md5'] as const) {
          const hash = pureHashes(algorithm);
          for (const chunk of chunks) hash.update(chunk);
          expect(hash.digestHex()).toBe(native(algorithm, chunks));
        }
      }),
      { numRuns: 300 },
    );
    for (const length of [55, 56, 63, 64, 65, 119, 120, 128, 1_000_000]) {
      const bytes = new Uint8Array(length).map((_, index) => index * 7);
      for (const algorithm of ['sha256', 'md5'] as const) {
        const hash = pureHashes(algorithm);
        hash.update(bytes);
        expect(hash.digestHex(), `${algorithm} of ${length} bytes`).toBe(
          native(algorithm, [bytes]),
        );
      }
    }
  });
});
