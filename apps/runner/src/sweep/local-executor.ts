import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrialExecutor } from './sweep-engine.js';
import type { TrialRecord } from './sweep-record.js';
import type { SweepSpec } from './sweep-spec.js';
import { replayFinishedRun } from './finished-trial.js';
import { resumeArgs, trialArgs, trialSets } from './trial-args.js';
import { runTrialProcess, type TrialHandle, type TrialListener } from './trial-process.js';

export interface LocalPoolOptions {
  readonly sweepDir: string;
  readonly baseFile: string;
  readonly parameters: SweepSpec['parameters'];
  readonly cwd: string;
  readonly concurrency: number;
  /** --data-dir for the trials (they also inherit SCRATCHNET_DATA). */
  readonly dataDir?: string;
  /** Kernel threads per trial: the cores shared out among the trials running at once. */
  readonly threads: number;
}

/**
 * Trials as `runner train` child processes of this one, `concurrency` at a time, each in its
 * folder under trials/. An interrupted trial continues from its checkpoint; one without a
 * checkpoint starts again (replacing its partial folder).
 */
export function localExecutor(options: LocalPoolOptions): TrialExecutor {
  return {
    slots: options.concurrency,
    start(trial: TrialRecord, resume: boolean, listener: TrialListener): TrialHandle {
      const runDir = join(options.sweepDir, trial.runDir);
      return startWhenReady(listener, async () => {
        if (resume && (await replayFinishedRun(runDir, listener))) return undefined;
        const canResume = resume && existsSync(join(runDir, 'checkpoints', 'latest.safetensors'));
        const args = canResume ? resumeArgs(runDir, options.threads) : trialArgs(trialSets(options.parameters, trial), options.baseFile, runDir, options.threads, options.dataDir);
        if (!canResume && existsSync(runDir)) args.push('--overwrite');
        return runTrialProcess(args, options.cwd, listener);
      });
    },
  };
}

/** A handle for a trial whose process starts after an async check; a stop before then still counts. */
export function startWhenReady(listener: TrialListener, begin: () => Promise<TrialHandle | undefined>): TrialHandle {
  let handle: TrialHandle | undefined;
  let stopped = false;
  begin().then(
    (started) => {
      handle = started;
      if (stopped) handle?.stop();
    },
    (error: unknown) => listener.end({ status: 'failed', exitCode: null, message: (error as Error).message }),
  );
  return {
    stop() {
      stopped = true;
      handle?.stop();
    },
  };
}
