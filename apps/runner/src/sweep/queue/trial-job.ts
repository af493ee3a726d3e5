import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EpochEvent } from '../../output/events.js';
import { resumeArgs, trialArgs } from '../trial-args.js';
import { runTrialProcess, type TrialEnd } from '../trial-process.js';
import { MAX_RESULT_BYTES, stopKeyOf, type TrialJobData, type TrialJobResult } from './job.js';

export interface TrialJobOptions {
  readonly redis: Redis;
  /** Where each trial's scratch folder goes (the trial folder too, without a store); removed after the trial. */
  readonly scratch: string;
  readonly store?: string;
  /** Where the trials' relative data paths resolve (after the base config's own folder, a scratch folder here). */
  readonly dataDir?: string;
  readonly threads: number;
  readonly cwd: string;
  /** Called as the trial starts, after each epoch and when it ends, for the worker's output. */
  readonly log: (what: { status: string; trial: string; sweep: string; epoch?: number; message?: string }) => void;
}

/**
 * Runs one trial job: the trial's `runner train` in a child process (training never runs in the
 * worker, so BullMQ's lock renewal never waits for it), its epochs as job progress, its folder as
 * the result. With a store, the folder lives there and a restart resumes from its checkpoint.
 */
export async function runTrialJob(job: Job<TrialJobData, TrialJobResult>, options: TrialJobOptions): Promise<TrialJobResult> {
  const data = job.data;
  const jobId = job.id!;
  const { redis } = options;
  const stopKey = stopKeyOf(jobId);
  const run = randomUUID();
  const worker = `${hostname()}:${process.pid}`;
  const work = join(options.scratch, jobId);
  const runDir = options.store === undefined ? join(work, 'run') : join(options.store, data.sweepId, 'trials', data.trialId);
  const epochs: EpochEvent[] = [];
  if ((await redis.get(stopKey)) !== null) return { status: 'interrupted', run, epochs, worker };

  await mkdir(join(work, 'base'), { recursive: true });
  const baseFile = join(work, 'base', data.baseName);
  await writeFile(baseFile, data.baseText);
  await job.updateProgress({ run, epochs });
  const canResume = options.store !== undefined && existsSync(join(runDir, 'checkpoints', 'latest.safetensors'));
  const args = canResume ? resumeArgs(runDir, options.threads) : trialArgs(data.sets, baseFile, runDir, options.threads, options.dataDir);
  if (!canResume && existsSync(runDir)) args.push('--overwrite');
  options.log({ status: canResume ? 'resumed' : 'started', trial: data.trialId, sweep: data.sweepId });

  try {
    const end = await new Promise<TrialEnd>((resolveEnd) => {
      const handle = runTrialProcess(args, options.cwd, {
        epoch(event) {
          epochs.push(event);
          options.log({ status: 'epoch', trial: data.trialId, sweep: data.sweepId, epoch: event.epoch });
          void job.updateProgress({ run, epochs }).catch(() => undefined);
        },
        end(value) {
          clearInterval(watch);
          resolveEnd(value);
        },
      });
      const watch = setInterval(() => {
        void redis.get(stopKey).then((value) => value !== null && handle.stop(), () => undefined);
      }, 1000);
    });
    options.log({ status: end.status, trial: data.trialId, sweep: data.sweepId, ...(end.status === 'failed' ? { message: end.message } : {}) });
    if (end.status === 'failed') throw new UnrecoverableError(`trial ${data.trialId}: ${end.message}`);
    // A stopped (pruned) trial's folder comes back too, as a local sweep keeps it.
    const base = end.status === 'completed' ? ({ status: 'completed', run, epochs, summary: end.summary, worker } as const) : ({ status: 'interrupted', run, epochs, worker } as const);
    if (options.store !== undefined) return { ...base, storeDir: runDir };
    return existsSync(runDir) ? { ...base, files: await folderFiles(runDir, data.trialId) } : base;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A finished run folder, checkpoints left out, as base64 by relative path. */
async function folderFiles(dir: string, trialId: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  let bytes = 0;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'checkpoints') await walk(path);
        continue;
      }
      if (!entry.isFile() || entry.name === '.runner.lock') continue;
      bytes += (await stat(path)).size;
      if (bytes > MAX_RESULT_BYTES) {
        throw new UnrecoverableError(
          `trial ${trialId}'s folder is over ${MAX_RESULT_BYTES / 1024 / 1024} MB, more than a result may carry through Redis: run the workers with --store DIR on a folder the coordinator's machine sees at the same path.`,
        );
      }
      files[relative(dir, path)] = (await readFile(path)).toString('base64');
    }
  };
  await walk(dir);
  return files;
}
