// The LZMA decoder of src/lzma (lzma-decoder.ts, range-decoder.ts, dictionary.ts) written again
// in AssemblyScript and compiled to WebAssembly (`pnpm build:wasm`). It decodes one LZMA2 chunk
// at a time, its state, probabilities and dictionary kept in its own memory between calls, and
// answers a failure as a number (wasm-lzma-chunks.ts words them). Why: a literal is eight
// adaptive bit decodes, and JavaScript ran them at a third of liblzma's speed, slower still
// before the JIT warms up; WebAssembly runs compiled from its first byte. A test holds both
// decoders to the same answer on every stream, damaged ones included.
//
// Memory: the probabilities and a 64 KiB input buffer, then the dictionary from the first page
// boundary after them, grown (memory.grow) as the TypeScript dictionary grows.
const PROBABILITY_BITS: u32 = 11;
const MOVE_BITS: u32 = 5;
const HALF: u16 = 1024;
const TOP: u32 = 1 << 24;

const IS_MATCH: u32 = 0;
const IS_REP: u32 = IS_MATCH + (12 << 4);
const IS_REP_G0: u32 = IS_REP + 12;
const IS_REP_G1: u32 = IS_REP_G0 + 12;
const IS_REP_G2: u32 = IS_REP_G1 + 12;
const IS_REP0_LONG: u32 = IS_REP_G2 + 12;
const POSITION_SLOT: u32 = IS_REP0_LONG + (12 << 4);
const POSITION_SPECIAL: u32 = POSITION_SLOT + (4 << 6);
const ALIGN: u32 = POSITION_SPECIAL + 115;
const LENGTHS: u32 = ALIGN + 16;
const REPEAT_LENGTHS: u32 = LENGTHS + 514;
const LITERAL: u32 = REPEAT_LENGTHS + 514;
const PROBABILITIES: u32 = LITERAL + (0x300 << 4);
const LOW: u32 = 2;
const MIDDLE: u32 = 2 + 128;
const HIGH: u32 = 2 + 256;

const INPUT_CAPACITY: u32 = 1 << 16;
/** WebAssembly's 32-bit memory: 65,536 pages of 64 KiB. */
const MEMORY_MAX: u64 = 1 << 32;

const OK: i32 = 0;
const BAD_START: i32 = 1;
const ENDS_EARLY: i32 = 2;
const BEFORE_START: i32 = 3;
const PAST_END: i32 = 4;
const END_MARKER: i32 = 5;
const UNCLEAN: i32 = 6;
const NO_MEMORY: i32 = 7;

const probabilities: usize = memory.data(<i32>PROBABILITIES * 2, 16);
const input: usize = memory.data(<i32>INPUT_CAPACITY + 16, 16);
const dictionary: usize = (__heap_base + 65535) & ~65535;

let range: u32 = 0;
let code: u32 = 0;
let inputAt: usize = 0;
let inputEnd: usize = 0;

let state: u32 = 0;
let rep0: u32 = 0;
let rep1: u32 = 0;
let rep2: u32 = 0;
let rep3: u32 = 0;
let literalContextBits: u32 = 0;
let literalPositionMask: u32 = 0;
let positionMask: u32 = 0;

let capacity: u32 = 0;
let position: u32 = 0;
let total: u64 = 0;

/** Where the caller puts a chunk's compressed bytes before `decode` or `putStored`. */
export function inputAddress(): usize {
  return input;
}
export function dictionaryAddress(): usize {
  return dictionary;
}
export function dictionaryPosition(): u32 {
  return position;
}
export function dictionaryCapacity(): u32 {
  return capacity;
}

export function setProperties(lc: u32, lp: u32, pb: u32): void {
  literalContextBits = lc;
  literalPositionMask = (1 << lp) - 1;
  positionMask = (1 << pb) - 1;
}

export function resetState(): void {
  state = 0;
  rep0 = rep1 = rep2 = rep3 = 0;
  const count = LITERAL + (0x300 << (literalContextBits + popcnt(literalPositionMask)));
  for (let index: u32 = 0; index < count; index++) store<u16>(probabilities + (index << 1), HALF);
}

export function resetDictionary(): void {
  position = 0;
  total = 0;
}

/** Room for `count` more bytes, growing (in place: below its limit it never wraps) up to `limit`. */
export function reserve(count: u32, limit: u32): i32 {
  if (capacity >= limit || <u64>position + count < <u64>capacity) return OK;
  let size: u64 = max<u32>(capacity, 1 << 16);
  while (size <= <u64>position + count && size < <u64>limit) size *= 2;
  const grown = <u32>min<u64>(size, limit);
  const needed: u64 = <u64>dictionary + grown;
  if (needed > MEMORY_MAX) return NO_MEMORY;
  const pages = <i32>((needed + 65535) >>> 16) - memory.size();
  if (pages > 0 && memory.grow(pages) < 0) return NO_MEMORY;
  capacity = grown;
  return OK;
}

export function putStored(size: u32): void {
  for (let index: u32 = 0; index < size; index++) put(load<u8>(input + index));
}

@inline function put(byte: u32): void {
  store<u8>(dictionary + position, byte);
  position++;
  if (position === capacity) position = 0;
  total++;
}

@inline function back(distance: u32): u32 {
  if (<u64>distance >= total || distance >= capacity) return 0;
  let index = <i64>position - distance - 1;
  if (index < 0) index += capacity;
  return load<u8>(dictionary + <usize>index);
}

@inline function normalize(): void {
  if (range < TOP) {
    range <<= 8;
    code = (code << 8) | (inputAt < inputEnd ? <u32>load<u8>(inputAt) : 0);
    inputAt++;
  }
}

@inline function bit(index: u32): u32 {
  const at = probabilities + (index << 1);
  const probability = <u32>load<u16>(at);
  const bound = (range >>> PROBABILITY_BITS) * probability;
  let result: u32;
  if (code < bound) {
    range = bound;
    store<u16>(at, probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS));
    result = 0;
  } else {
    range -= bound;
    code -= bound;
    store<u16>(at, probability - (probability >>> MOVE_BITS));
    result = 1;
  }
  normalize();
  return result;
}

function tree(base: u32, bits: u32): u32 {
  let node: u32 = 1;
  for (let level: u32 = 0; level < bits; level++) node = (node << 1) | bit(base + node);
  return node - (1 << bits);
}

function reverseTree(base: u32, bits: u32): u32 {
  let node: u32 = 1;
  let symbol: u32 = 0;
  for (let level: u32 = 0; level < bits; level++) {
    const b = bit(base + node);
    node = (node << 1) | b;
    symbol |= b << level;
  }
  return symbol;
}

function direct(count: u32): u32 {
  let result: u32 = 0;
  for (let left = count; left > 0; left--) {
    range >>>= 1;
    let b: u32 = 0;
    if (code >= range) {
      code -= range;
      b = 1;
    }
    result = (result << 1) | b;
    normalize();
  }
  return result;
}

function decodeLength(model: u32, positionState: u32): u32 {
  if (bit(model) === 0) return tree(model + LOW + (positionState << 3), 3);
  if (bit(model + 1) === 0) return 8 + tree(model + MIDDLE + (positionState << 3), 3);
  return 16 + tree(model + HIGH, 8);
}

function decodeDistance(length: u32): u32 {
  const lengthState = min<u32>(length, 3);
  const slot = tree(POSITION_SLOT + (lengthState << 6), 6);
  if (slot < 4) return slot;
  const directBits = (slot >>> 1) - 1;
  const distance = (2 | (slot & 1)) << directBits;
  if (slot < 14) return distance + reverseTree(POSITION_SPECIAL + distance - slot, directBits);
  return distance + (direct(directBits - 4) << 4) + reverseTree(ALIGN, 4);
}

function decodeLiteral(): void {
  const previous = back(0);
  const context =
    ((<u32>total & literalPositionMask) << literalContextBits) +
    (previous >>> (8 - literalContextBits));
  const base = probabilities + ((LITERAL + 0x300 * context) << 1);
  let r = range;
  let c = code;
  let symbol: u32 = 1;
  if (state >= 7) {
    let match = back(rep0);
    do {
      const matchBit = (match >>> 7) & 1;
      match <<= 1;
      const at = base + ((((1 + matchBit) << 8) + symbol) << 1);
      const probability = <u32>load<u16>(at);
      const bound = (r >>> PROBABILITY_BITS) * probability;
      let b: u32;
      if (c < bound) {
        r = bound;
        store<u16>(at, probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS));
        b = 0;
      } else {
        r -= bound;
        c -= bound;
        store<u16>(at, probability - (probability >>> MOVE_BITS));
        b = 1;
      }
      if (r < TOP) {
        r <<= 8;
        c = (c << 8) | (inputAt < inputEnd ? <u32>load<u8>(inputAt) : 0);
        inputAt++;
      }
      symbol = (symbol << 1) | b;
      if (matchBit !== b) break;
    } while (symbol < 0x100);
  }
  while (symbol < 0x100) {
    const at = base + (symbol << 1);
    const probability = <u32>load<u16>(at);
    const bound = (r >>> PROBABILITY_BITS) * probability;
    if (c < bound) {
      r = bound;
      store<u16>(at, probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS));
      symbol <<= 1;
    } else {
      r -= bound;
      c -= bound;
      store<u16>(at, probability - (probability >>> MOVE_BITS));
      symbol = (symbol << 1) | 1;
    }
    if (r < TOP) {
      r <<= 8;
      c = (c << 8) | (inputAt < inputEnd ? <u32>load<u8>(inputAt) : 0);
      inputAt++;
    }
  }
  range = r;
  code = c;
  put(symbol & 0xff);
  state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
}

function copyMatch(distance: u32, length: u32): i32 {
  if (<u64>distance >= total || distance >= capacity) return BEFORE_START;
  let to = position;
  let from = <i64>position - distance - 1;
  if (from < 0) from += capacity;
  let source = <u32>from;
  if (length <= capacity - to && length <= capacity - source) {
    // Neither end wraps: a forward copy, byte by byte where it overlaps what it writes.
    if (distance + 1 >= length) memory.copy(dictionary + to, dictionary + source, length);
    else
      for (let index: u32 = 0; index < length; index++)
        store<u8>(dictionary + to + index, load<u8>(dictionary + source + index));
    to += length;
    if (to === capacity) to = 0;
  } else
    for (let left = length; left > 0; left--) {
      store<u8>(dictionary + to, load<u8>(dictionary + source));
      to++;
      source++;
      if (to === capacity) to = 0;
      if (source === capacity) source = 0;
    }
  position = to;
  total += length;
  return OK;
}

/** Decodes one LZMA chunk of `packed` bytes at the input address into exactly `size` bytes. */
export function decode(packed: u32, size: u32): i32 {
  if (packed < 5 || packed > INPUT_CAPACITY || load<u8>(input) !== 0) return BAD_START;
  code = bswap<u32>(load<u32>(input + 1));
  range = 0xffffffff;
  if (code === range) return BAD_START;
  inputAt = input + 5;
  inputEnd = input + packed;
  const end = total + size;
  while (total < end) {
    if (inputAt > inputEnd) return ENDS_EARLY;
    const positionState = <u32>total & positionMask;
    const s = state;
    if (bit(IS_MATCH + (s << 4) + positionState) === 0) {
      decodeLiteral();
      continue;
    }
    let length: u32;
    if (bit(IS_REP + s) === 0) {
      length = decodeLength(LENGTHS, positionState);
      state = s < 7 ? 7 : 10;
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      rep0 = decodeDistance(length);
      if (rep0 === 0xffffffff) return END_MARKER;
    } else {
      if (bit(IS_REP_G0 + s) === 0) {
        if (bit(IS_REP0_LONG + (s << 4) + positionState) === 0) {
          state = s < 7 ? 9 : 11;
          const failed = copyMatch(rep0, 1);
          if (failed !== OK) return failed;
          continue;
        }
      } else {
        let distance: u32;
        if (bit(IS_REP_G1 + s) === 0) distance = rep1;
        else {
          if (bit(IS_REP_G2 + s) === 0) distance = rep2;
          else {
            distance = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = distance;
      }
      length = decodeLength(REPEAT_LENGTHS, positionState);
      state = s < 7 ? 8 : 11;
    }
    length += 2;
    if (<u64>length > end - total) return PAST_END;
    const failed = copyMatch(rep0, length);
    if (failed !== OK) return failed;
  }
  if (inputAt > inputEnd) return ENDS_EARLY;
  if (inputAt !== inputEnd || code !== 0) return UNCLEAN;
  return OK;
}
