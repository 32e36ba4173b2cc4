import { describe, expect, it } from 'vitest';
import { PartBuffers } from './part-buffers.js';

describe('PartBuffers', () => {
  it('reuses a given-back buffer instead of allocating one per part', async () => {
    const buffers = new PartBuffers(2);
    const first = await buffers.take(1024);
    const firstMemory = first.bytes.buffer;
    first.give(true);
    const second = await buffers.take(1000);
    expect(second.bytes.buffer).toBe(firstMemory);
    expect(second.bytes.byteLength).toBe(1000);
    second.give(true);
  });

  it('never reuses a buffer whose send failed', async () => {
    const buffers = new PartBuffers(1);
    const failed = await buffers.take(64);
    failed.give(false);
    const next = await buffers.take(64);
    expect(next.bytes.buffer).not.toBe(failed.bytes.buffer);
  });

  it('holds at most `count` buffers; the next taker waits for one to come back', async () => {
    const buffers = new PartBuffers(2);
    const a = await buffers.take(16);
    const b = await buffers.take(16);
    let third: Awaited<ReturnType<PartBuffers['take']>> | undefined;
    const waiting = buffers.take(16).then((held) => {
      third = held;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(third).toBeUndefined();
    a.give(true);
    await waiting;
    expect(third?.bytes.buffer).toBe(a.bytes.buffer);
    b.give(true);
  });

  it('stops waiting when the signal aborts', async () => {
    const buffers = new PartBuffers(1);
    await buffers.take(16);
    const controller = new AbortController();
    const waiting = buffers.take(16, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });
});
