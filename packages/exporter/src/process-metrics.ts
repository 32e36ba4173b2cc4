import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * What every Prometheus exporter serves about itself: `deltaglider_build_info{version}` and
 * the process metrics (`process_cpu_seconds_total`, `process_resident_memory_bytes`,
 * `process_open_fds`, `process_start_time_seconds`, Node's heap and event loop), from
 * prom-client, in a registry of this exporter's own (two exporters in one process do not clash).
 */
export class ProcessMetrics {
  private readonly registry = new Registry();

  constructor(version: string) {
    collectDefaultMetrics({ register: this.registry });
    const build = new Gauge({
      name: 'deltaglider_build_info',
      help: 'Always 1; the version of DeltaGlider serving these metrics.',
      labelNames: ['version'],
      registers: [this.registry],
    });
    build.set({ version }, 1);
  }

  /** Prometheus text, to append to the exporter's own families. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
