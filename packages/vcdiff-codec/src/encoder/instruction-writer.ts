import type { ByteWriter } from '../byte-writer.js';
import { defaultCodeTable, type Instruction, InstructionType } from '../vcdiff-format.js';

/**
 * An instruction as a small number (type, size, mode), for table lookups without strings; -1
 * for sizes no opcode carries (the table's sizes stop at 18).
 */
const keyOf = (instruction: Instruction) =>
  instruction.size > 31 ? -1 : (instruction.type << 9) | (instruction.size << 4) | instruction.mode;
const KEYS = 4 << 9;

/** Opcodes that carry two instructions (a small ADD then a COPY, or a COPY then an ADD). */
const pairOpcodes = new Map<number, number>();
/** Opcodes that carry one instruction, its size in the table or 0 (a size follows); else -1. */
const singleOpcodes = new Int16Array(KEYS).fill(-1);
defaultCodeTable.forEach(([first, second], opcode) => {
  if (second.type === InstructionType.Noop) singleOpcodes[keyOf(first)] = opcode;
  else pairOpcodes.set(keyOf(first) * KEYS + keyOf(second), opcode);
});

/**
 * Writes a window's instructions with the default code table (RFC 3284 section 5.6), merging
 * neighbours into one opcode where the table has one (an ADD of 1-4 bytes then a short COPY, a
 * COPY of 4 then an ADD of 1), which saves a byte each time, as xdelta3 does.
 */
export class InstructionWriter {
  private pending: Instruction | undefined;

  constructor(private readonly out: ByteWriter) {}

  add(size: number): void {
    this.push({ type: InstructionType.Add, size, mode: 0 });
  }

  run(size: number): void {
    this.push({ type: InstructionType.Run, size, mode: 0 });
  }

  copy(size: number, mode: number): void {
    this.push({ type: InstructionType.Copy, size, mode });
  }

  /** Writes what is held back; call once after the last instruction. */
  flush(): void {
    if (this.pending) this.single(this.pending);
    this.pending = undefined;
  }

  private push(instruction: Instruction): void {
    if (this.pending) {
      const key = keyOf(instruction);
      const pair = key < 0 ? undefined : pairOpcodes.get(keyOf(this.pending) * KEYS + key);
      if (pair !== undefined) {
        this.out.byte(pair);
        this.pending = undefined;
        return;
      }
      this.flush();
    }
    // Held back only if some opcode could pair it with what comes next.
    const canLead =
      (instruction.type === InstructionType.Add && instruction.size <= 4) ||
      (instruction.type === InstructionType.Copy && instruction.size === 4);
    if (canLead) this.pending = instruction;
    else this.single(instruction);
  }

  private single(instruction: Instruction): void {
    const key = keyOf(instruction);
    const sized = key < 0 ? -1 : singleOpcodes[key]!;
    if (sized >= 0) {
      this.out.byte(sized);
      return;
    }
    this.out.byte(singleOpcodes[(instruction.type << 9) | instruction.mode]!);
    this.out.varint(instruction.size);
  }
}
