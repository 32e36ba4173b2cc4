/**
 * One abort signal per request, all aborted with a shared one. Many concurrent requests each
 * listening on the shared signal would trip Node's listener-leak warning (and silencing it needs
 * `node:events`); here the shared signal has one listener however many requests are in flight.
 */
export class PerRequestSignals {
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly shared: AbortSignal) {
    shared.addEventListener(
      'abort',
      () => {
        for (const controller of this.inFlight) controller.abort(shared.reason);
      },
      { once: true },
    );
  }

  /** Runs `request` with its own signal, aborted when the shared one is. */
  async run<T>(request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (this.shared.aborted) controller.abort(this.shared.reason);
    this.inFlight.add(controller);
    try {
      return await request(controller.signal);
    } finally {
      this.inFlight.delete(controller);
    }
  }
}
