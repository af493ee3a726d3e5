import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochEvent, SummaryEvent } from '../output/events.js';
import type { TrialListener } from './trial-process.js';

/**
 * A trial whose run folder already holds a finished run (summary.json): its epochs and summary
 * are replayed from the folder instead of training again. This happens on --resume when the
 * sweep stopped after the run finished but before it recorded that, and when a queue's worker
 * sent the folder back. Returns false when the folder holds no finished run.
 */
export async function replayFinishedRun(runDir: string, listener: TrialListener): Promise<boolean> {
  let summaryText: string;
  let metricsText: string;
  try {
    [summaryText, metricsText] = await Promise.all([readFile(join(runDir, 'summary.json'), 'utf8'), readFile(join(runDir, 'metrics.jsonl'), 'utf8')]);
  } catch {
    return false;
  }
  let summary: SummaryEvent;
  let epochs: EpochEvent[];
  try {
    summary = JSON.parse(summaryText) as SummaryEvent;
    epochs = metricsText
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => ({ ...(JSON.parse(line) as Omit<EpochEvent, 'event'>), event: 'epoch' as const }));
  } catch {
    return false;
  }
  for (const epoch of epochs) listener.epoch(epoch);
  listener.end({ status: 'completed', summary });
  return true;
}
