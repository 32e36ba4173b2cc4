import { adler32 } from '../adler32.js';
import { ByteWriter } from '../byte-writer.js';
import { VCD_ADLER32, VCD_SOURCE } from '../vcdiff-format.js';
import { AddressEncoder } from './address-encoder.js';
import { InstructionWriter } from './instruction-writer.js';
import type { SecondaryCompression, WrittenSection } from './secondary-compression.js';
import { Op, type WindowPlan } from './window-plan.js';

/**
 * Writes one VCDIFF window: the source segment spans exactly the reference bytes its copies use
 * (so a decoder reads no more of the reference than it needs), instructions from the default
 * code table (neighbours merged), and xdelta3's Adler-32 of the target so a wrong reference is caught.
 */
export function encodeWindow(
  plan: WindowPlan,
  target: Uint8Array,
  secondary?: SecondaryCompression,
): Uint8Array {
  const segment = segmentOf(plan);
  const data = new ByteWriter(target.length >>> 4);
  const instructions = new ByteWriter(plan.length * 2 + 16);
  const addresses = new ByteWriter(plan.length * 2 + 16);
  const cache = new AddressEncoder();
  const segmentLength = segment.end - segment.start;
  const writer = new InstructionWriter(instructions);
  let here = 0;
  for (let index = 0; index < plan.length; index++) {
    const size = plan.sizes[index]!;
    const from = plan.from[index]!;
    const op = plan.ops[index]!;
    if (op === Op.Add) {
      writer.add(size);
      data.bytes(target.subarray(from, from + size));
    } else if (op === Op.Run) {
      writer.run(size);
      data.byte(target[from]!);
    } else {
      const address = cache.encode(
        op === Op.Copy ? from - segment.start : segmentLength + from,
        segmentLength + here,
      );
      writer.copy(size, address.mode);
      if (address.single) addresses.byte(address.value);
      else addresses.varint(address.value);
    }
    here += size;
  }
  writer.flush();

  const sections = [data.view(), instructions.view(), addresses.view()] as const;
  const written: WrittenSection[] = sections.map((plain, index) =>
    secondary ? secondary.section(index as 0 | 1 | 2, plain) : { bytes: plain, compressed: false },
  );
  const body = new ByteWriter(written.reduce((sum, section) => sum + section.bytes.length, 32));
  body.varint(target.length);
  // Delta_Indicator: bit 0 data, bit 1 instructions, bit 2 addresses compressed.
  body.byte(
    written.reduce((bits, section, index) => bits | (section.compressed ? 1 << index : 0), 0),
  );
  for (const section of written) body.varint(section.bytes.length);
  body.uint32(adler32(target));
  for (const section of written) body.bytes(section.bytes);

  const window = new ByteWriter(body.length + 24);
  if (segmentLength > 0) {
    window.byte(VCD_SOURCE | VCD_ADLER32);
    window.varint(segmentLength);
    window.varint(segment.start);
  } else window.byte(VCD_ADLER32);
  window.varint(body.length);
  window.bytes(body.view());
  return window.view();
}

/** The reference range the plan's copies read. */
function segmentOf(plan: WindowPlan): { start: number; end: number } {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (let index = 0; index < plan.length; index++) {
    if (plan.ops[index] !== Op.Copy) continue;
    start = Math.min(start, plan.from[index]!);
    end = Math.max(end, plan.from[index]! + plan.sizes[index]!);
  }
  return end === 0 ? { start: 0, end: 0 } : { start, end };
}
