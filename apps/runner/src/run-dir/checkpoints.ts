import { existsSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isScratchnetError } from '@scratchnet/spec';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@scratchnet/train';
import { dataError, usageError } from '../exit-codes.js';
import { commitFile, discardTemp, stageFile, syncFolder, writeFailure } from './atomic.js';
import { MODEL_FILES } from './model-files.js';
import { RUN_FILES } from './run-dir.js';

/** The newest checkpoint; written atomically after every epoch (and on Ctrl-C). */
export const CHECKPOINT_FILE = 'latest.safetensors';
/** The generation before it, kept so a damaged latest one still leaves a run to resume. */
export const PREVIOUS_CHECKPOINT_FILE = 'previous.safetensors';
/** Where a latest checkpoint that failed to load is moved when a resume falls back to the previous one. */
export const DAMAGED_CHECKPOINT_FILE = 'latest.damaged.safetensors';

/**
 * Writes one checkpoint: latest.safetensors, and the same weights as weights.safetensors so the
 * folder is also a model `runner eval` loads. Both are staged in full (fsynced temp files) before
 * any rename, so a failed write (a full disk) changes neither and they never come from two
 * epochs; then latest -> previous (one rename, which replaces the old previous), the new latest,
 * the new weights. At every moment at least one complete checkpoint exists, and a crash between
 * the renames leaves a state --resume reads right: without latest it uses previous, which the
 * old weights still match. Only a crash between the last two renames leaves the weights one
 * epoch behind latest, until --resume (which rewrites them) or the next checkpoint.
 */
export function writeCheckpoint(checkpointsDir: string, checkpoint: Checkpoint, modelWeights: Uint8Array): string {
  const file = join(checkpointsDir, CHECKPOINT_FILE);
  const weightsFile = join(checkpointsDir, MODEL_FILES.weights);
  const previous = join(checkpointsDir, PREVIOUS_CHECKPOINT_FILE);
  const stagedCheckpoint = stageFile(file, encodeCheckpoint(checkpoint));
  let stagedWeights: string;
  try {
    stagedWeights = stageFile(weightsFile, modelWeights);
  } catch (error) {
    discardTemp(stagedCheckpoint);
    throw error;
  }
  if (existsSync(file)) {
    try {
      renameSync(file, previous);
    } catch (error) {
      discardTemp(stagedCheckpoint);
      discardTemp(stagedWeights);
      throw writeFailure(previous, error);
    }
  }
  try {
    commitFile(stagedCheckpoint, file);
  } catch (error) {
    discardTemp(stagedWeights);
    throw error;
  }
  commitFile(stagedWeights, weightsFile);
  syncFolder(checkpointsDir);
  return file;
}

/** A checkpoint file that can be resumed from, or why it cannot. */
export type CheckpointCandidate =
  | { readonly file: string; readonly shown: string; readonly checkpoint: Checkpoint }
  | { readonly file: string; readonly shown: string; readonly problem: string };

/**
 * Reads and verifies (digest, structure, finite values) checkpoints/latest and previous, newest
 * first. Neither file present is a usage error (nothing to resume); both present but unusable
 * is exit 3 naming both.
 */
export async function readCheckpoints(
  checkpointsDir: string,
  runDirName: string,
  show: (file: string) => string,
): Promise<CheckpointCandidate[]> {
  const candidates: CheckpointCandidate[] = [];
  let missing = 0;
  for (const name of [CHECKPOINT_FILE, PREVIOUS_CHECKPOINT_FILE]) {
    const file = join(checkpointsDir, name);
    const shown = show(file);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') missing++;
      candidates.push({ file, shown, problem: `${shown}: ${code === 'ENOENT' ? 'not found' : `cannot read it (${code ?? (error as Error).message})`}.` });
      continue;
    }
    try {
      candidates.push({ file, shown, checkpoint: decodeCheckpoint(bytes, shown) });
    } catch (error) {
      if (!isScratchnetError(error)) throw error;
      candidates.push({ file, shown, problem: error.message });
    }
  }
  if (missing === candidates.length) {
    // A run killed before its first checkpoint: its config is there, so it can start over in place.
    throw usageError(
      `${runDirName} has no checkpoint (${candidates[0]!.shown}); there is nothing to resume. ` +
        `Start it over with: runner ${runDirName}/${RUN_FILES.config} --out ${runDirName} --overwrite`,
    );
  }
  if (candidates.every((c) => 'problem' in c)) throw noUsableCheckpoint(runDirName, candidates);
  return candidates;
}

/** Exit 3: neither checkpoint can be resumed from; names both files and why. */
export function noUsableCheckpoint(runDirName: string, candidates: readonly CheckpointCandidate[]) {
  const reasons = candidates.map((c) => ('problem' in c ? `  ${c.problem}` : `  ${c.shown}: unusable.`));
  return dataError(
    `cannot resume ${runDirName}: neither checkpoint can be used.\n${reasons.join('\n')}\n` +
      'Start a new run, or evaluate the last exported model in the run folder.',
  );
}

/** Moves a latest checkpoint that failed to load aside, so the next rotation keeps the good previous one. */
export function setDamagedLatestAside(checkpointsDir: string): string | undefined {
  const file = join(checkpointsDir, CHECKPOINT_FILE);
  if (!existsSync(file)) return undefined;
  const damaged = join(checkpointsDir, DAMAGED_CHECKPOINT_FILE);
  try {
    renameSync(file, damaged);
  } catch (error) {
    throw writeFailure(damaged, error);
  }
  return damaged;
}
