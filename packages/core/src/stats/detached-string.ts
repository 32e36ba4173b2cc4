/**
 * A copy of `text` that shares no memory with the string it was cut from. Keys cut from a
 * LIST response or a decompressed inventory chunk point into that whole text (V8 slices
 * strings without copying them), so a key kept for the length of a stats call (a deltaspace's
 * name, its reference, its largest delta) would keep its 16-64 KiB source alive: hundreds of
 * MB over thousands of deltaspaces. JSON's parser always builds a string of its own.
 */
export function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
