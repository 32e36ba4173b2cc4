import type { Clock } from '../ports/clock.js';

/** Times the phases of one stats call, for `DG_LOG_LEVEL=info` and the benchmarks. */
export class PhaseTimer {
  private readonly spent = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = this.clock.elapsedMs();
    try {
      return await work();
    } finally {
      this.add(phase, this.clock.elapsedMs() - started);
    }
  }

  timeSync<T>(phase: string, work: () => T): T {
    const started = this.clock.elapsedMs();
    try {
      return work();
    } finally {
      this.add(phase, this.clock.elapsedMs() - started);
    }
  }

  durations(): Record<string, number> {
    return Object.fromEntries(
      [...this.spent].map(([phase, ms]) => [`${phase.replaceAll(' ', '_')}_ms`, Math.round(ms)]),
    );
  }

  describe(): string {
    return [...this.spent].map(([phase, ms]) => `${phase} ${Math.round(ms)} ms`).join(', ');
  }

  private add(phase: string, ms: number): void {
    this.spent.set(phase, (this.spent.get(phase) ?? 0) + ms);
  }
}
