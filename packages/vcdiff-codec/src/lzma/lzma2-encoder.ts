import { MatchFinder } from './lzma-match-finder.js';
import { type LzmaProperties, MATCH_MAX_LENGTH, propertiesByte } from './lzma-model.js';
import { RangeEncoder } from './range-encoder.js';
import { SymbolEncoder } from './symbol-encoder.js';

/** How hard the encoder looks for matches. */
export interface LzmaEffort {
  /** A power of two: how far back matches reach, and what a decoder must hold. */
  readonly dictionarySize: number;
  /** Hash-chain links followed per position. */
  readonly depth: number;
  /** A match this long is taken without looking for a longer one. */
  readonly niceLength: number;
  /** Whether a match waits one byte to see whether a better one starts there. */
  readonly lazy: boolean;
}

/** lc=3, lp=0, pb=2: LZMA's defaults, which xz uses for every preset. */
export const LZMA_PROPERTIES: LzmaProperties = {
  literalContextBits: 3,
  literalPositionBits: 0,
  positionBits: 2,
};
const PROPERTIES_BYTE = propertiesByte(LZMA_PROPERTIES);

/** LZMA2 limits per chunk: 2 MiB decoded, 64 KiB coded (and stored chunks 64 KiB). */
const CHUNK_UNPACKED_MAX = 1 << 21;
const CHUNK_PACKED_MAX = 1 << 16;
/** Room kept in a chunk for the symbol that may come next. */
const SYMBOL_MARGIN = 64;
/** Input is taken in pieces, so the window never holds more than a piece past the dictionary. */
const PIECE = 1 << 20;

/**
 * An LZMA2 encoder whose output is cut into sections, as xdelta3's secondary compression does
 * with LZMA_SYNC_FLUSH: each section ends its chunk, and the next continues the dictionary and
 * the model. Parsing is LZMA's "fast" mode (the longest match, a cheaper repeat when one
 * nearly as long exists, and one byte of lazy look-ahead), without price tables.
 */
export class Lzma2Encoder {
  private readonly coder = new RangeEncoder();
  private readonly symbols: SymbolEncoder;
  private readonly finder: MatchFinder;
  private position = 0;
  private chunkStart = 0;
  /** The next LZMA chunk's control byte: what it must reset, by what came before. */
  private control = 0xe0;
  private dictionaryReset = false;
  private readonly chunks: Uint8Array[] = [];
  /** A match already found at `position` by the look-ahead, or -1. */
  private aheadLength = -1;
  private aheadDistance = 0;

  constructor(private readonly effort: LzmaEffort) {
    this.symbols = new SymbolEncoder(this.coder, LZMA_PROPERTIES);
    this.finder = new MatchFinder(effort.dictionarySize, effort.depth, effort.niceLength);
  }

  /** Encodes one section and flushes it: the LZMA2 chunks that decode to exactly `input`. */
  section(input: Uint8Array): Uint8Array[] {
    for (let at = 0; at < input.length; at += PIECE) {
      this.finder.append(input.subarray(at, at + PIECE), this.chunkStart);
      while (this.position < this.finder.end) this.step();
    }
    this.endChunk();
    return this.chunks.splice(0);
  }

  /** Codes one symbol at `position`, ending the chunk first when it is full. */
  private step(): void {
    if (
      this.position - this.chunkStart > CHUNK_UNPACKED_MAX - MATCH_MAX_LENGTH ||
      this.coder.pendingSize > CHUNK_PACKED_MAX - SYMBOL_MARGIN
    )
      this.endChunk();
    const { finder, symbols, effort } = this;
    const position = this.position;
    const limit = Math.min(MATCH_MAX_LENGTH, finder.end - position);
    let mainLength: number;
    let mainDistance: number;
    if (this.aheadLength >= 0) {
      mainLength = Math.min(this.aheadLength, limit);
      mainDistance = this.aheadDistance;
      this.aheadLength = -1;
    } else {
      finder.find(position, limit);
      mainLength = finder.length;
      mainDistance = finder.distance;
      if (mainLength === finder.shorterLength + 1 && mainDistance >>> 7 > finder.shorterDistance) {
        mainLength = finder.shorterLength;
        mainDistance = finder.shorterDistance;
      }
    }
    let repLength = 0;
    let repIndex = 0;
    for (let index = 0; index < 4; index++) {
      const length = finder.lengthAt(position, symbols.reps[index]!, limit);
      if (length > repLength) {
        repLength = length;
        repIndex = index;
      }
    }
    if (
      repLength >= 2 &&
      (repLength >= effort.niceLength || repPays(repLength, mainLength, mainDistance))
    ) {
      this.emitRep(repIndex, repLength);
      return;
    }
    if (mainLength >= 4) {
      if (
        mainLength < effort.niceLength &&
        effort.lazy &&
        this.betterAhead(mainLength, mainDistance)
      )
        this.emitLiteral();
      else this.emitMatch(mainDistance, mainLength);
      return;
    }
    this.emitLiteral();
  }

  /** Whether the match found one byte on beats this one (the look-ahead keeps it). */
  private betterAhead(length: number, distance: number): boolean {
    const { finder } = this;
    const next = this.position + 1;
    const limit = Math.min(MATCH_MAX_LENGTH, finder.end - next);
    if (limit < 4) return false;
    finder.find(next, limit);
    this.aheadLength = finder.length;
    this.aheadDistance = finder.distance;
    const newLength = finder.length;
    const newDistance = finder.distance;
    if (
      (newLength >= length && newDistance < distance) ||
      (newLength === length + 1 && !muchNearer(distance, newDistance)) ||
      newLength > length + 1 ||
      (newLength + 1 >= length && muchNearer(newDistance, distance))
    )
      return true;
    // Indexed, not for-of: an iterator per call was 16 MB of garbage on one encode (V8 kept it).
    const reps = this.symbols.reps;
    for (let index = 0; index < reps.length; index++)
      if (finder.lengthAt(next, reps[index]!, length - 1) >= length - 1) return true;
    return false;
  }

  private emitLiteral(): void {
    const { finder, symbols } = this;
    const position = this.position;
    const byte = finder.at(position);
    const rep0 = symbols.reps[0]!;
    const matchByte = position - rep0 - 1 >= finder.start ? finder.at(position - rep0 - 1) : -1;
    if (byte === matchByte && position > rep0) symbols.shortRep(position);
    else
      symbols.literal(
        byte,
        position,
        position > 0 ? finder.at(position - 1) : 0,
        Math.max(0, matchByte),
      );
    this.position++;
  }

  private emitMatch(distance: number, length: number): void {
    this.symbols.match(distance, length, this.position);
    this.advance(length);
  }

  private emitRep(index: number, length: number): void {
    this.symbols.rep(index, length, this.position);
    this.advance(length);
  }

  /** Moves past a match, recording the positions it covers that no search has recorded. */
  private advance(length: number): void {
    const first = this.aheadLength >= 0 ? this.position + 2 : this.position + 1;
    this.aheadLength = -1;
    const end = this.position + length;
    for (let covered = first; covered < end; covered++) this.finder.skip(covered);
    this.position = end;
  }

  /**
   * Ends the chunk: LZMA-coded when that is smaller, else stored (after which the next coded
   * chunk resets the state, since the encoder's model saw bytes the decoder's did not).
   */
  private endChunk(): void {
    const unpacked = this.position - this.chunkStart;
    if (unpacked === 0) return;
    const packed = this.coder.finish();
    if (packed.length < unpacked) {
      const header = this.control >= 0xc0 ? 6 : 5;
      const chunk = new Uint8Array(header + packed.length);
      chunk[0] = this.control | ((unpacked - 1) >>> 16);
      chunk[1] = ((unpacked - 1) >>> 8) & 0xff;
      chunk[2] = (unpacked - 1) & 0xff;
      chunk[3] = ((packed.length - 1) >>> 8) & 0xff;
      chunk[4] = (packed.length - 1) & 0xff;
      if (header === 6) chunk[5] = PROPERTIES_BYTE;
      chunk.set(packed, header);
      this.chunks.push(chunk);
      this.control = 0x80;
    } else {
      this.storeChunk();
      this.symbols.resetState();
      this.control = this.control >= 0xc0 ? 0xc0 : 0xa0;
    }
    this.dictionaryReset = true;
    this.chunkStart = this.position;
    this.coder.restart();
  }

  /** The chunk's bytes as stored LZMA2 chunks of at most 64 KiB. */
  private storeChunk(): void {
    for (let from = this.chunkStart; from < this.position; from += CHUNK_PACKED_MAX) {
      const size = Math.min(CHUNK_PACKED_MAX, this.position - from);
      const chunk = new Uint8Array(3 + size);
      chunk[0] = this.dictionaryReset ? 0x02 : 0x01;
      chunk[1] = (size - 1) >>> 8;
      chunk[2] = (size - 1) & 0xff;
      for (let index = 0; index < size; index++) chunk[3 + index] = this.finder.at(from + index);
      this.chunks.push(chunk);
      this.dictionaryReset = true;
    }
  }
}

/** Whether a repeat of `repLength` beats a new match (it costs far less than a new distance). */
function repPays(repLength: number, mainLength: number, mainDistance: number): boolean {
  return (
    repLength + 1 >= mainLength ||
    (repLength + 2 >= mainLength && mainDistance >= 1 << 9) ||
    (repLength + 3 >= mainLength && mainDistance >= 1 << 15)
  );
}

/** Whether `near` is so much nearer than `far` that a byte shorter is worth it. */
function muchNearer(near: number, far: number): boolean {
  return far >>> 7 > near;
}
