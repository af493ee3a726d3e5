import { basename } from 'node:path';
import type { ComparedRun } from '@scratchnet/report';
import type { RunFolder } from './run-folder.js';
import { runStatus } from './run-status.js';

/** One run's line in a comparison: its curves, settings and final test figures. */
export function comparedRun(folder: RunFolder, name: string): ComparedRun {
  const { status } = runStatus({
    summary: folder.summary !== undefined,
    ...(folder.info.outcome === undefined ? {} : { outcome: folder.info.outcome }),
    inUse: folder.inUse,
    epochs: folder.epochs.length,
    resume: '',
  });
  // evaluation.json and summary.json hold the same figures; older runs have only the summary.
  const test = folder.evaluation ? { loss: folder.evaluation.loss, accuracy: folder.evaluation.accuracy } : folder.summary?.test;
  return {
    name,
    runDir: folder.shown,
    status,
    config: folder.config,
    epochs: folder.epochs,
    ...(test === undefined ? {} : { test }),
    ...(folder.summary === undefined ? {} : { totalSeconds: folder.summary.seconds }),
  };
}

/**
 * A legend name per run: the config's name, but runs of one config (the usual comparison: one
 * setting changed with --set) share it, so those are told apart by their folder's name, or by
 * the whole folder path when even that repeats.
 */
export function comparisonNames(folders: readonly Pick<RunFolder, 'info' | 'shown'>[]): string[] {
  const count = (names: readonly string[], name: string): number => names.filter((n) => n === name).length;
  const configNames = folders.map((f) => f.info.name);
  const folderNames = folders.map((f) => basename(f.shown));
  return folders.map((f, i) => {
    if (count(configNames, configNames[i]!) === 1) return configNames[i]!;
    return count(folderNames, folderNames[i]!) === 1 ? folderNames[i]! : f.shown;
  });
}
