import { readdirSync, readFileSync } from 'node:fs';
import { createClient } from '@deltaglider/sdk';

// One big-file transfer in a process of its own, so its peak RSS is its own: forked by the
// big-files suite with a job, it answers with wall time and the peak RSS of itself and of the
// xdelta3 it ran (sampled from /proc every 50 ms; VmHWM is each process's own peak).

export interface BigFileJob {
  readonly endpoint: string;
  readonly cacheDirectory: string;
  readonly operation: 'upload' | 'download';
  readonly bucket: string;
  readonly key: string;
  readonly path: string;
}

export interface BigFileResult {
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly xdelta3PeakRssMb: number;
  readonly storedAs: string;
  readonly storedBytes?: number;
}

function peakRssKb(pid: number | 'self'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0; // it already exited
  }
}

function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
      if (text) pids.push(...text.split(/\s+/).map(Number));
    } catch {
      // a thread that ended
    }
  }
  return pids;
}

process.once('message', async (job: BigFileJob) => {
  let childPeakKb = 0;
  const sampler = setInterval(() => {
    for (const pid of childPids()) childPeakKb = Math.max(childPeakKb, peakRssKb(pid));
  }, 50);
  const client = createClient({
    endpoint: job.endpoint,
    s3: { credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } },
    cacheDirectory: job.cacheDirectory,
  });
  const started = performance.now();
  const done =
    job.operation === 'upload'
      ? await client.upload(job.path, job.bucket, job.key).then((result) => ({
          storedAs: result.storedAs,
          storedBytes: result.storedSize,
        }))
      : await client.download(job.bucket, job.key, job.path).then((result) => ({
          storedAs: result.storedAs,
        }));
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  const result: BigFileResult = {
    wallMs,
    peakRssMb: peakRssKb('self') / 1024,
    xdelta3PeakRssMb: childPeakKb / 1024,
    ...done,
  };
  process.send?.(result, () => process.exit(0));
});
