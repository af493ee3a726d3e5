import { rm, cp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Queue, type Job } from 'bullmq';
import type { LoadedSweep } from '../load-sweep.js';
import type { TrialExecutor } from '../sweep-engine.js';
import type { TrialRecord } from '../sweep-record.js';
import type { TrialHandle, TrialListener } from '../trial-process.js';
import { writeFileAtomic } from '../../run-dir/atomic.js';
import { trialSets } from '../trial-args.js';
import { connectQueue } from './connection.js';
import { parseQueueUrl } from './queue-url.js';
import { QUEUE_NAME, jobIdOf, stopKeyOf, type TrialJobData, type TrialJobProgress, type TrialJobResult } from './job.js';

export interface QueueExecutorOptions {
  readonly url: string;
  readonly env: NodeJS.ProcessEnv;
  readonly sweepDir: string;
  readonly sweepId: string;
  readonly sweep: LoadedSweep;
  readonly note: (text: string) => void;
  /** Milliseconds between looks at a job (default 400). */
  readonly pollMs?: number;
}

/**
 * Trials as jobs on the BullMQ queue, run by `runner worker` processes anywhere. The coordinator
 * looks at each of its jobs: the epochs in its progress go to the sweep as they come (so early
 * termination works as locally), its result brings the trial's folder home. A job restarted on
 * another worker (its first worker died) reports a new run, whose epochs replace the old ones.
 * Each trial ends once here, whatever Redis says twice.
 */
export async function queueExecutor(options: QueueExecutorOptions): Promise<TrialExecutor> {
  const target = parseQueueUrl(options.url, options.env);
  const redis = connectQueue(target, options.note);
  const queue = new Queue<TrialJobData, TrialJobResult>(QUEUE_NAME, { connection: redis });
  queue.on('error', () => undefined); // the connection's retry notes say it
  const sweepId = options.sweepId.replace(/[^A-Za-z0-9._-]/g, '_');
  const timers = new Set<NodeJS.Timeout>();
  const pollMs = options.pollMs ?? 400;

  const start = (trial: TrialRecord, _resume: boolean, listener: TrialListener): TrialHandle => {
    const jobId = jobIdOf(sweepId, trial.id);
    let run = '';
    let delivered = 0;
    let ended = false;
    let looking = false;
    const end: TrialListener['end'] = (value) => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      timers.delete(timer);
      listener.end(value);
    };
    const deliver = (progress: TrialJobProgress | TrialJobResult | undefined): void => {
      if (progress === undefined || typeof progress !== 'object' || !Array.isArray(progress.epochs)) return;
      if (progress.run !== run) {
        if (run !== '') listener.restarted?.();
        run = progress.run;
        delivered = 0;
      }
      for (const epoch of progress.epochs.slice(delivered)) listener.epoch(epoch);
      delivered = progress.epochs.length;
    };
    let added = false;
    const look = async (): Promise<void> => {
      const job = await queue.getJob(jobId);
      if (ended) return;
      if (job === undefined) {
        // Gone from a Redis that restarted without persistence: the trial runs again.
        if (added) {
          options.note(`trial ${trial.id} is no longer on the queue (did Redis restart without persistence?); putting it back`);
          await enqueue();
        }
        return;
      }
      deliver(job.progress as TrialJobProgress);
      const state = await job.getState();
      if (state === 'completed') await finish(job);
      else if (state === 'failed') end({ status: 'failed', exitCode: null, message: job.failedReason || 'the worker failed the trial' });
    };
    const finish = async (job: Job<TrialJobData, TrialJobResult>): Promise<void> => {
      const result = job.returnvalue;
      deliver(result);
      const dir = join(options.sweepDir, trial.runDir);
      if (result.storeDir !== undefined || result.files !== undefined) await rm(dir, { recursive: true, force: true });
      if (result.storeDir !== undefined) await cp(result.storeDir, dir, { recursive: true, filter: (source) => !source.includes('/checkpoints') });
      for (const [path, data] of Object.entries(result.files ?? {})) writeFileAtomic(join(dir, path), Buffer.from(data, 'base64'));
      if (result.status !== 'completed' || result.summary === undefined) return end({ status: 'interrupted' });
      end({ status: 'completed', summary: { ...result.summary, runDir: dir } });
    };
    const enqueue = async (): Promise<void> => {
      const data: TrialJobData = { sweepId, trialId: trial.id, sets: trialSets(options.sweep.spec.parameters, trial), baseName: basename(options.sweep.baseFile), baseText: options.sweep.baseText };
      await queue.add('trial', data, { jobId, attempts: 1, removeOnComplete: false, removeOnFail: false });
      added = true;
    };
    const timer = setInterval(() => {
      if (looking || ended) return;
      looking = true;
      look()
        .catch((error: unknown) => options.note(`looking at trial ${trial.id} on the queue failed (${(error as Error).message}); trying again`))
        .finally(() => (looking = false));
    }, pollMs);
    timers.add(timer);

    void (async () => {
      // A job left by an earlier coordinator of this sweep (--resume): a finished result is
      // taken as it is; a stopped or failed one is replaced, so the trial runs again.
      const existing = await queue.getJob(jobId);
      if (existing !== undefined) {
        const state = await existing.getState();
        const stopped = state === 'failed' || (state === 'completed' && existing.returnvalue?.status !== 'completed');
        if (!stopped) {
          added = true;
          return;
        }
        await existing.remove();
      }
      await redis.del(stopKeyOf(jobId));
      await enqueue();
    })().catch((error: unknown) => end({ status: 'failed', exitCode: null, message: `could not put the trial on the queue: ${(error as Error).message}` }));

    return {
      stop() {
        void (async () => {
          await redis.set(stopKeyOf(jobId), '1', 'EX', 7 * 24 * 3600);
          const job = await queue.getJob(jobId);
          // Not taken by a worker yet: take it back; a running one stops at the worker's next look.
          if (job !== undefined && (await job.getState()) === 'waiting') {
            await job.remove();
            end({ status: 'interrupted' });
          }
        })().catch(() => undefined);
      },
    };
  };

  await redis.ping().catch(() => undefined);
  return {
    slots: Number.POSITIVE_INFINITY,
    start,
    async close() {
      for (const timer of timers) clearInterval(timer);
      await queue.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
