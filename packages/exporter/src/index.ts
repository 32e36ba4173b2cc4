export {
  createExporter,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type Exporter,
  type ExporterOptions,
  type ExporterTarget,
  type ListenOptions,
} from './create-exporter.js';
export { formatStatsPrometheus } from './stats-prometheus.js';
export type { StatsSource } from './stats-source.js';
