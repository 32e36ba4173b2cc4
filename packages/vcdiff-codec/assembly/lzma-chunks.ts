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
import { copyForward } from './copy-forward';

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

/** The input byte at `at`, 0 past `end` (a chunk that runs short is refused after its symbol). */
@inline function inputByte(at: usize, end: usize): u32 {
  return at < end ? <u32>load<u8>(at) : 0;
}

/** A probability after coding `one` (0 or 1) with it: nearer to what was coded. */
@inline function adapted(probability: u32, one: u32): u32 {
  return select<u32>(
    probability - (probability >>> MOVE_BITS),
    probability + (((1 << PROBABILITY_BITS) - probability) >>> MOVE_BITS),
    one,
  );
}

@inline function normalize(): void {
  if (range < TOP) {
    range <<= 8;
    code = (code << 8) | inputByte(inputAt, inputEnd);
    inputAt++;
  }
}

@inline function bit(index: u32): u32 {
  const at = probabilities + (index << 1);
  const probability = <u32>load<u16>(at);
  const bound = (range >>> PROBABILITY_BITS) * probability;
  const one = <u32>(code >= bound);
  range = select<u32>(range - bound, bound, one);
  code -= bound & (0 - one);
  store<u16>(at, adapted(probability, one));
  normalize();
  return one;
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


function copyMatch(distance: u32, length: u32): i32 {
  if (<u64>distance >= total || distance >= capacity) return BEFORE_START;
  let to = position;
  let from = <i64>position - distance - 1;
  if (from < 0) from += capacity;
  let source = <u32>from;
  if (length <= capacity - to && length <= capacity - source) {
    // Neither end wraps: a forward copy, byte by byte where it overlaps what it writes closely.
    if (distance + 1 >= 8) copyForward(dictionary + to, dictionary + source, length);
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

/**
 * Decodes one LZMA chunk of `packed` bytes at the input address into exactly `size` bytes.
 * Literals, most of what a delta's data decodes to, are decoded here with the coder and the
 * dictionary's position in locals (globals are memory to WebAssembly); matches go through the
 * functions above, with the locals written back around them. So its three bit decodes (isMatch,
 * a literal after a match, a plain literal) are written out, as no function can share locals:
 * one literal loop for both kinds measured 4-7 % slower on esbuild-wasm's decode (a branch, or
 * a mask, on every bit).
 */
export function decode(packed: u32, size: u32): i32 {
  if (packed < 5 || packed > INPUT_CAPACITY || load<u8>(input) !== 0) return BAD_START;
  let c = bswap<u32>(load<u32>(input + 1));
  let r: u32 = 0xffffffff;
  if (c === r) return BAD_START;
  let at = input + 5;
  const inEnd = input + packed;
  inputEnd = inEnd;
  let pos = position;
  let tot = total;
  let s = state;
  const end = tot + size;
  const contextBits = literalContextBits;
  const literalMask = literalPositionMask;
  const stateMask = positionMask;
  const cap = capacity;
  while (tot < end) {
    if (at > inEnd) return ENDS_EARLY;
    const positionState = <u32>tot & stateMask;
    const isMatch = probabilities + ((IS_MATCH + (s << 4) + positionState) << 1);
    const matchProbability = <u32>load<u16>(isMatch);
    const matchBound = (r >>> PROBABILITY_BITS) * matchProbability;
    const isAMatch = <u32>(c >= matchBound);
    r = select<u32>(r - matchBound, matchBound, isAMatch);
    c -= matchBound & (0 - isAMatch);
    store<u16>(isMatch, adapted(matchProbability, isAMatch));
    if (r < TOP) {
      r <<= 8;
      c = (c << 8) | inputByte(at, inEnd);
      at++;
    }
    if (!isAMatch) {
      const previous = tot === 0 ? 0 : <u32>load<u8>(dictionary + (pos === 0 ? cap - 1 : pos - 1));
      const context = ((<u32>tot & literalMask) << contextBits) + (previous >>> (8 - contextBits));
      const base = probabilities + ((LITERAL + 0x300 * context) << 1);
      let symbol: u32 = 1;
      if (s >= 7) {
        // After a match, a literal is coded against the byte at the last distance while their
        // bits agree (tables at base + 0x100 and 0x200); a byte before the start counts as 0.
        let match: u32 = 0;
        if (<u64>rep0 < tot && rep0 < cap) {
          let from = <i64>pos - rep0 - 1;
          if (from < 0) from += cap;
          match = load<u8>(dictionary + <usize>from);
        }
        do {
          const matchBit = (match >>> 7) & 1;
          match <<= 1;
          const p = base + ((((1 + matchBit) << 8) + symbol) << 1);
          const probability = <u32>load<u16>(p);
          const bound = (r >>> PROBABILITY_BITS) * probability;
          const one = <u32>(c >= bound);
          r = select<u32>(r - bound, bound, one);
          c -= bound & (0 - one);
          store<u16>(p, adapted(probability, one));
          if (r < TOP) {
            r <<= 8;
            c = (c << 8) | inputByte(at, inEnd);
            at++;
          }
          symbol = (symbol << 1) | one;
          if (matchBit !== one) break;
        } while (symbol < 0x100);
      }
      while (symbol < 0x100) {
        // Without branches: a literal's bits are close to coin flips, which a branch mispredicts
        // half the time (esbuild-wasm's decode 140 -> 134 ms, alternating runs).
        const p = base + (symbol << 1);
        const probability = <u32>load<u16>(p);
        const bound = (r >>> PROBABILITY_BITS) * probability;
        const one = <u32>(c >= bound);
        r = select<u32>(r - bound, bound, one);
        c -= bound & (0 - one);
        store<u16>(p, adapted(probability, one));
        if (r < TOP) {
          r <<= 8;
          c = (c << 8) | inputByte(at, inEnd);
          at++;
        }
        symbol = (symbol << 1) | one;
      }
      store<u8>(dictionary + pos, symbol);
      pos++;
      if (pos === cap) pos = 0;
      tot++;
      s = s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
      continue;
    }
    range = r;
    code = c;
    inputAt = at;
    position = pos;
    total = tot;
    state = s;
    const failed = decodeMatch(positionState, end);
    if (failed !== OK) return failed;
    r = range;
    c = code;
    at = inputAt;
    pos = position;
    tot = total;
    s = state;
  }
  range = r;
  code = c;
  inputAt = at;
  position = pos;
  total = tot;
  state = s;
  if (at > inEnd) return ENDS_EARLY;
  if (at !== inEnd || c !== 0) return UNCLEAN;
  return OK;
}

/** A match or a repeat, after its isMatch bit: the coder and dictionary in their globals. */
function decodeMatch(positionState: u32, end: u64): i32 {
  const s = state;
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
        return copyMatch(rep0, 1);
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
  return copyMatch(rep0, length);
}
