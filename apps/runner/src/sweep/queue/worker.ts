import { Worker } from 'bullmq';
import { connectQueue } from './connection.js';
import { parseQueueUrl } from './queue-url.js';
import { QUEUE_NAME, type TrialJobData, type TrialJobResult } from './job.js';
import { runTrialJob, type TrialJobOptions } from './trial-job.js';

export interface WorkerOptions extends Omit<TrialJobOptions, 'redis'> {
  readonly url: string;
  readonly env: NodeJS.ProcessEnv;
  readonly concurrency: number;
  readonly lockSeconds: number;
  readonly note: (text: string) => void;
}

export interface RunningWorker {
  readonly shown: string;
  /** Stops taking trials and waits for the running ones. */
  close(): Promise<void>;
}

/**
 * A BullMQ worker for sweep trials. The lock on a job is renewed while its trial runs; when the
 * worker dies, the lock lapses after lockSeconds and another worker's stalled-job check puts the
 * job back on the queue (a few times: maxStalledCount), so a lost machine costs time, not trials.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const target = parseQueueUrl(options.url, options.env);
  const redis = connectQueue(target, options.note);
  const worker = new Worker<TrialJobData, TrialJobResult>(QUEUE_NAME, (job) => runTrialJob(job, { ...options, redis }), {
    connection: redis,
    concurrency: options.concurrency,
    lockDuration: options.lockSeconds * 1000,
    stalledInterval: options.lockSeconds * 1000,
    maxStalledCount: 5,
  });
  worker.on('error', () => undefined); // the connection's retry notes say it
  return {
    shown: target.shown,
    async close() {
      await worker.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
