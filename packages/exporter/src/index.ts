export {
  createExporter,
  type Exporter,
  type ExporterOptions,
  type ExporterTarget,
  type ListenOptions,
} from './create-exporter.js';
export { DEFAULT_HOST, DEFAULT_PORT } from './default-address.js';
export { formatStatsPrometheus } from './stats-prometheus.js';
export type { StatsSource } from './stats-source.js';
