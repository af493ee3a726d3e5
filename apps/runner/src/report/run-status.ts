import type { RunStatus } from '@scratchnet/report';
import type { RunOutcome } from '../run-dir/run-info.js';

export interface StatusFacts {
  /** summary.json exists: written last, after the model, only by a run that finished every epoch. */
  readonly summary: boolean;
  /** run.json's outcome: how the last training process ended, if it ended by itself. */
  readonly outcome?: RunOutcome;
  /** Another live runner holds the folder's lock. */
  readonly inUse: boolean;
  /** Epoch lines in metrics.jsonl. */
  readonly epochs: number;
  /** How the user would resume it: `runner --resume runs/x`. */
  readonly resume: string;
}

/**
 * A run's status from its files. summary.json decides `completed`; a live lock `running`; the
 * outcome the runner records in run.json tells `diverged` from `interrupted` (Ctrl-C). With
 * neither, the process was killed or crashed: that is `interrupted` too, since --resume
 * continues it the same way.
 */
export function runStatus(facts: StatusFacts): { status: RunStatus; note?: string } {
  if (facts.summary) return { status: 'completed' };
  if (facts.inUse) return { status: 'running', note: `Training is still running (${facts.epochs} epochs so far); this report shows the run as it stood.` };
  const outcome = facts.outcome;
  if (outcome?.status === 'diverged') {
    return { status: 'diverged', note: `${outcome.message ?? 'Training diverged.'} The last good checkpoint (epoch ${outcome.epoch}) is what this report shows.` };
  }
  if (outcome?.status === 'interrupted') {
    const where = `in epoch ${outcome.epoch + 1} after batch ${outcome.batchInEpoch ?? 0}`;
    return { status: 'interrupted', note: `Interrupted ${where}. ${facts.resume} continues it.` };
  }
  return {
    status: 'interrupted',
    note: `The run stopped before it finished (${facts.epochs} epochs written; killed, crashed or out of power). ${facts.resume} continues it from its last checkpoint.`,
  };
}
