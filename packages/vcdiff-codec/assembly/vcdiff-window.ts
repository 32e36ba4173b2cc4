// One VCDIFF window's instructions run in WebAssembly: window-decoder.ts's `sourceReads` (the
// dry run that says what a window reads of its reference) and `runInstructions`, written again
// in AssemblyScript (`pnpm build:wasm`). A window of a release is a few hundred thousand short
// ADDs and COPYs; JavaScript ran them slowly until its JIT warmed up, which a decode of one file
// never waits for. WebAssembly runs compiled from its first instruction.
//
// The caller (wasm-windows.ts) lays the memory out: the reference's 1 MiB blocks in slots, a
// table from block number to slot, the target, and the window's sections. Failures come back as
// numbers, which it words as window-decoder.ts does; a test holds both to the same answers.
//
// `proceed`'s helpers are functions it calls, not inlined into its loop: V8 optimizes a function
// once it has run about 1.8 MB of its machine code, each turn of a loop counting the loop's whole
// length, so a long loop had even a small window's decode pay for optimizing it (3 ms of compile
// beside the decode, on a 2-core machine; vcdiff-window-wasm.test.ts keeps the loop short).
// A loop this short runs a 1 MB release's thousand-odd instructions before V8 optimizes it.

import { copyForward } from './copy-forward';

const BLOCK_BITS: u64 = 20;
const BLOCK_SIZE: u64 = 1 << BLOCK_BITS;
const NO_SLOT: u32 = 0xffffffff;
const NEAR: u32 = 4;
const SAME: u32 = 3;
const MAX_SAFE_INTEGER: u64 = 9007199254740991;

const NOOP: u8 = 0;
const ADD: u8 = 1;
const RUN: u8 = 2;
const COPY: u8 = 3;

const OK: i32 = 0;
const WRITES_PAST: i32 = 1;
const SHORTER: i32 = 2;
const BAD_COPY: i32 = 3;
const INSTRUCTIONS_END: i32 = 4;
const ADDRESSES_END: i32 = 5;
const DATA_END: i32 = 6;
const INSTRUCTIONS_INTEGER: i32 = 7;
const ADDRESSES_INTEGER: i32 = 8;
const MISSING_BLOCK: i32 = 9;
/** Not a failure: `proceed` stopped at its limit, to go on once the reads there have ended. */
const PAUSED: i32 = 10;

/** RFC 3284's default code table: per entry two instructions of (type, size, mode). */
const codeTable: usize = memory.data(256 * 6);
const near: usize = memory.data(<i32>NEAR * 8, 8);
const same: usize = memory.data(<i32>SAME * 256 * 8, 8);

/** For a BAD_COPY: the address and where it was copied to, for the message. */
export let failedAddress: f64 = 0;
export let failedHere: f64 = 0;

let instructionsAt: usize = 0;
let instructionsEnd: usize = 0;
let addressesAt: usize = 0;
let addressesEnd: usize = 0;
let failure: i32 = OK;
let nextSlot: u32 = 0;

function entry(index: u32, first: u32, type: u8, size: u8, mode: u8): void {
  const at = codeTable + index * 6 + first * 3;
  store<u8>(at, type);
  store<u8>(at + 1, size);
  store<u8>(at + 2, mode);
}

function buildCodeTable(): void {
  let index: u32 = 0;
  entry(index++, 0, RUN, 0, 0);
  for (let size: u8 = 0; size <= 17; size++) entry(index++, 0, ADD, size, 0);
  for (let mode: u8 = 0; mode <= 8; mode++) {
    entry(index++, 0, COPY, 0, mode);
    for (let size: u8 = 4; size <= 18; size++) entry(index++, 0, COPY, size, mode);
  }
  for (let mode: u8 = 0; mode <= 5; mode++)
    for (let addSize: u8 = 1; addSize <= 4; addSize++)
      for (let copySize: u8 = 4; copySize <= 6; copySize++) {
        entry(index, 0, ADD, addSize, 0);
        entry(index++, 1, COPY, copySize, mode);
      }
  for (let mode: u8 = 6; mode <= 8; mode++)
    for (let addSize: u8 = 1; addSize <= 4; addSize++) {
      entry(index, 0, ADD, addSize, 0);
      entry(index++, 1, COPY, 4, mode);
    }
  for (let mode: u8 = 0; mode <= 8; mode++) {
    entry(index, 0, COPY, 4, mode);
    entry(index++, 1, ADD, 1, 0);
  }
}
buildCodeTable();

/** Where the byte after the last `varint` is. */
let varintEnd: usize = 0;

/**
 * RFC 3284's integer at `at` (a section ending at `end`), its end in `varintEnd`; 0, with
 * `failure` set to `ends` or `large`, when the section ends first or it passes 2^53.
 */
function varint(at: usize, end: usize, ends: i32, large: i32): u64 {
  let value: u64 = 0;
  let next = at;
  for (let digits = 0; digits < 8; digits++) {
    if (next >= end) {
      failure = ends;
      return 0;
    }
    const byte = <u64>load<u8>(next++);
    value = (value << 7) | (byte & 0x7f);
    if (value > MAX_SAFE_INTEGER) break;
    if ((byte & 0x80) === 0) {
      varintEnd = next;
      return value;
    }
  }
  failure = large;
  return 0;
}

@inline function instructionsVarint(): u64 {
  const value = varint(instructionsAt, instructionsEnd, INSTRUCTIONS_END, INSTRUCTIONS_INTEGER);
  instructionsAt = varintEnd;
  return value;
}

@inline function addressesVarint(): u64 {
  const value = varint(addressesAt, addressesEnd, ADDRESSES_END, ADDRESSES_INTEGER);
  addressesAt = varintEnd;
  return value;
}

function resetCache(): void {
  memory.fill(near, 0, NEAR * 8);
  memory.fill(same, 0, SAME * 256 * 8);
  nextSlot = 0;
}

/** RFC 3284 section 5.3: a COPY's address from its mode and the near and same caches. */
function decodeAddress(mode: u32, here: u64): u64 {
  let address: i64;
  if (mode === 0) address = <i64>addressesVarint();
  else if (mode === 1) address = <i64>here - <i64>addressesVarint();
  else if (mode - 2 < NEAR)
    address = load<i64>(near + ((mode - 2) << 3)) + <i64>addressesVarint();
  else {
    if (addressesAt >= addressesEnd) {
      failure = ADDRESSES_END;
      return 0;
    }
    address = load<i64>(same + (((mode - 2 - NEAR) * 256 + load<u8>(addressesAt++)) << 3));
  }
  if (failure !== OK) return 0;
  if (address < 0 || <u64>address >= here) {
    failedAddress = <f64>address;
    failedHere = <f64>here;
    failure = BAD_COPY;
    return 0;
  }
  store<i64>(near + (nextSlot << 3), address);
  nextSlot = (nextSlot + 1) % NEAR;
  store<i64>(same + (<usize>(<u64>address % (SAME * 256)) << 3), address);
  return <u64>address;
}

function startSections(instructions: usize, instructionsLength: u32, addresses: usize, addressesLength: u32): void {
  instructionsAt = instructions;
  instructionsEnd = instructions + instructionsLength;
  addressesAt = addresses;
  addressesEnd = addresses + addressesLength;
  failure = OK;
  resetCache();
}

/** How many straight reads the last `plan` listed. */
export let directReads: i32 = 0;

/**
 * The dry run: what the window's copies read of the segment at `position` of the reference,
 * when copies of `direct` bytes or more in the segment are read straight into the target. Lists
 * those reads (window offset, reference start, size: three f64s at `readsOut`, `directReads` of
 * them) and the distinct 1 MiB blocks the other copies touch (u32s at `blocksOut`, in the order
 * the window first copies from them, with the window offset of that first copy as f64s at
 * `firstUsesOut`; `seen` is a byte per reference block, zero before and after). Returns how many
 * blocks, or minus a failure.
 */
export function plan(
  position: f64,
  segmentLength: f64,
  targetLength: u32,
  instructions: usize,
  instructionsLength: u32,
  addresses: usize,
  addressesLength: u32,
  direct: f64,
  seen: usize,
  blocksOut: usize,
  firstUsesOut: usize,
  readsOut: usize,
): i32 {
  startSections(instructions, instructionsLength, addresses, addressesLength);
  const segment = <u64>segmentLength;
  const base = <u64>position;
  const straight = <u64>direct;
  let here: u64 = 0;
  let blocks: i32 = 0;
  let reads: i32 = 0;
  while (instructionsAt < instructionsEnd) {
    const at = codeTable + <usize>load<u8>(instructionsAt++) * 6;
    for (let half: usize = 0; half < 6; half += 3) {
      const type = load<u8>(at + half);
      if (type === NOOP) continue;
      let size = <u64>load<u8>(at + half + 1);
      if (size === 0) size = instructionsVarint();
      if (failure !== OK) break;
      if (type === COPY) {
        const address = decodeAddress(load<u8>(at + half + 2), segment + here);
        if (failure !== OK) break;
        if (address < segment) {
          const inSegment = min<u64>(size, segment - address);
          const start = base + address;
          if (inSegment >= straight) {
            const read = readsOut + <usize>reads * 24;
            store<f64>(read, <f64>here);
            store<f64>(read + 8, <f64>start);
            store<f64>(read + 16, <f64>inSegment);
            reads++;
          } else {
            const last = (start + inSegment - 1) >> BLOCK_BITS;
            for (let block = start >> BLOCK_BITS; block <= last; block++) {
              if (load<u8>(seen + <usize>block) !== 0) continue;
              store<u8>(seen + <usize>block, 1);
              store<u32>(blocksOut + (<usize>blocks << 2), <u32>block);
              store<f64>(firstUsesOut + (<usize>blocks << 3), <f64>here);
              blocks++;
            }
          }
        }
      }
      here += size;
      if (here > <u64>targetLength) {
        failure = WRITES_PAST;
        break;
      }
    }
    if (failure !== OK) break;
  }
  for (let index: i32 = 0; index < blocks; index++)
    store<u8>(seen + <usize>load<u32>(blocksOut + (<usize>index << 2)), 0);
  directReads = reads;
  return failure !== OK ? -failure : blocks;
}

/** The reference's slots and the table from block numbers to them, for `copyFromBlocks`. */
let slotsAt: usize = 0;
let tableAt: usize = 0;

/**
 * `size` bytes of the reference from `offset`, out of the slots of its blocks. Exported, as is
 * `copyFromWindow`, only to stay out of `proceed`'s loop: binaryen inlines a function called
 * from one place, unless something outside the module may call it too.
 */
export function copyFromBlocks(to: usize, offset: u64, size: u64): i32 {
  let from = offset;
  let write = to;
  for (let left = size; left > 0; ) {
    const slot = load<u32>(tableAt + <usize>(from >> BLOCK_BITS) * 4);
    if (slot === NO_SLOT) return MISSING_BLOCK;
    const within = from & (BLOCK_SIZE - 1);
    const count = min<u64>(left, BLOCK_SIZE - within);
    copyForward(write, slotsAt + (<usize>slot << <usize>BLOCK_BITS) + <usize>within, <usize>count);
    from += count;
    write += <usize>count;
    left -= count;
  }
  return OK;
}

/**
 * `size` bytes of the window from `back` to `into`: forward, byte by byte where it overlaps
 * what it writes closely (a run of a short pattern).
 */
export function copyFromWindow(target: usize, into: u64, back: u64, size: u64): void {
  if (back + 8 <= into) {
    copyForward(target + <usize>into, target + <usize>back, <usize>size);
    return;
  }
  for (let index: usize = 0; index < <usize>size; index++)
    store<u8>(target + <usize>into + index, load<u8>(target + <usize>back + index));
}

/** The window `begin` set up, and how far `proceed` has run it. */
let segmentLength: u64 = 0;
let segmentPosition: u64 = 0;
let targetAt: usize = 0;
let targetEnd: u64 = 0;
let dataAt: usize = 0;
let dataEnd: usize = 0;
let prefilled: u64 = 0;
let here: u64 = 0;
/** The code table entry being run, and which of its two instructions is next (6: neither). */
let entryAt: usize = 0;
let half: usize = 6;

/**
 * Sets up the window for `proceed`. Segment bytes come from the reference's blocks (`table`
 * maps block numbers to slots of 1 MiB at `slots`), except copies of `direct` bytes or more in
 * the segment, which the caller reads straight into the target.
 */
export function begin(
  position: f64,
  length: f64,
  target: usize,
  targetLength: u32,
  instructions: usize,
  instructionsLength: u32,
  addresses: usize,
  addressesLength: u32,
  data: usize,
  dataLength: u32,
  direct: f64,
  table: usize,
  slots: usize,
): void {
  startSections(instructions, instructionsLength, addresses, addressesLength);
  slotsAt = slots;
  tableAt = table;
  segmentLength = <u64>length;
  segmentPosition = <u64>position;
  targetAt = target;
  targetEnd = <u64>targetLength;
  dataAt = data;
  dataEnd = data + dataLength;
  prefilled = <u64>direct;
  here = 0;
  half = 6;
}

/**
 * Runs the window `begin` set up, from where it stopped last, until an instruction would start
 * at or past window offset `limit`: then it returns PAUSED. The caller's reads of the
 * reference end while it runs; each instruction before `limit` has what it copies.
 */
export function proceed(limit: f64): i32 {
  const stop = <u64>limit;
  const segment = segmentLength;
  const target = targetAt;
  let at = entryAt;
  let next = half;
  let written = here;
  let added = dataAt;
  for (;;) {
    if (next >= 6) {
      if (instructionsAt >= instructionsEnd) break;
      at = codeTable + <usize>load<u8>(instructionsAt++) * 6;
      next = 0;
    }
    const type = load<u8>(at + next);
    if (type === NOOP) {
      next += 3;
      continue;
    }
    if (written >= stop) {
      entryAt = at;
      half = next;
      here = written;
      dataAt = added;
      return PAUSED;
    }
    let size = <u64>load<u8>(at + next + 1);
    if (size === 0) size = instructionsVarint();
    if (failure !== OK) return failure;
    if (written + size > targetEnd) return WRITES_PAST;
    const to = target + <usize>written;
    if (type === ADD) {
      if (<u64>(dataEnd - added) < size) return DATA_END;
      copyForward(to, added, <usize>size);
      added += <usize>size;
    } else if (type === RUN) {
      if (added >= dataEnd) return DATA_END;
      memory.fill(to, load<u8>(added++), <usize>size);
    } else {
      const address = decodeAddress(load<u8>(at + next + 2), segment + written);
      if (failure !== OK) return failure;
      // A copy may run on from the segment into the window's own bytes.
      const inSegment = address < segment ? min<u64>(size, segment - address) : 0;
      if (inSegment > 0 && inSegment < prefilled) {
        const copied = copyFromBlocks(to, segmentPosition + address, inSegment);
        if (copied !== OK) return copied;
      }
      if (size > inSegment)
        copyFromWindow(target, written + inSegment, address + inSegment - segment, size - inSegment);
    }
    written += size;
    next += 3;
  }
  if (written !== targetEnd) return SHORTER;
  return OK;
}

/**
 * Adler-32 (RFC 1950) of `length` bytes at `at`, 16 bytes at a time in SIMD lanes. Over a run
 * of N bytes from sums a0, b0: a = a0 + the bytes' sum, and b = b0 + N a0 + the sum of each byte
 * times (N - its index). Per 16-byte chunk k that is 16 times the sum of the chunks before it
 * plus the chunk's bytes weighted 16..1: the lanes keep those sums, added up once a run ends.
 */
export function adler32(at: usize, length: u32): u32 {
  let a: u64 = 1;
  let b: u64 = 0;
  let p = at;
  let left = length;
  const ones = i16x8.splat(1);
  const weightsLow = i16x8(16, 15, 14, 13, 12, 11, 10, 9);
  const weightsHigh = i16x8(8, 7, 6, 5, 4, 3, 2, 1);
  while (left >= 16) {
    // 4096 bytes a run: every lane stays far below 2^32.
    const chunks = min<u32>(left >>> 4, 256);
    let sums = i32x4.splat(0);
    let before = i32x4.splat(0);
    let weighted = i32x4.splat(0);
    for (let chunk: u32 = 0; chunk < chunks; chunk++) {
      const bytes = v128.load(p);
      const low = i16x8.extend_low_i8x16_u(bytes);
      const high = i16x8.extend_high_i8x16_u(bytes);
      before = i32x4.add(before, sums);
      sums = i32x4.add(sums, i32x4.add(i32x4.dot_i16x8_s(low, ones), i32x4.dot_i16x8_s(high, ones)));
      weighted = i32x4.add(
        weighted,
        i32x4.add(i32x4.dot_i16x8_s(low, weightsLow), i32x4.dot_i16x8_s(high, weightsHigh)),
      );
      p += 16;
    }
    const run = <u64>(chunks << 4);
    b += run * a + 16 * lanes(before) + lanes(weighted);
    a += lanes(sums);
    a %= 65521;
    b %= 65521;
    left -= chunks << 4;
  }
  for (; left > 0; left--) {
    a += load<u8>(p++);
    b += a;
  }
  return <u32>(((b % 65521) << 16) | (a % 65521));
}

@inline function lanes(vector: v128): u64 {
  return (
    <u64>i32x4.extract_lane(vector, 0) +
    <u64>i32x4.extract_lane(vector, 1) +
    <u64>i32x4.extract_lane(vector, 2) +
    <u64>i32x4.extract_lane(vector, 3)
  );
}

/** Where memory the caller lays out may start: past this module's own data. */
export function heapBase(): usize {
  return (__heap_base + 65535) & ~65535;
}
