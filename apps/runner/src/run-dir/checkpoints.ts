import { existsSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isScratchnetError } from '@scratchnet/spec';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@scratchnet/train';
import { dataError, usageError } from '../exit-codes.js';
import { writeFailure, writeFileAtomic } from './atomic.js';

/** The newest checkpoint; written atomically after every epoch (and on Ctrl-C). */
export const CHECKPOINT_FILE = 'latest.safetensors';
/** The generation before it, kept so a damaged latest one still leaves a run to resume. */
export const PREVIOUS_CHECKPOINT_FILE = 'previous.safetensors';
/** Where a latest checkpoint that failed to load is moved when a resume falls back to the previous one. */
export const DAMAGED_CHECKPOINT_FILE = 'latest.damaged.safetensors';

/**
 * Rotates latest -> previous (one rename, which replaces the old previous atomically), then
 * writes the new latest atomically. At every moment at least one complete checkpoint exists; a
 * crash between the two steps leaves only previous, which `--resume` then uses.
 */
export function writeCheckpoint(checkpointsDir: string, checkpoint: Checkpoint): string {
  const file = join(checkpointsDir, CHECKPOINT_FILE);
  const previous = join(checkpointsDir, PREVIOUS_CHECKPOINT_FILE);
  const bytes = encodeCheckpoint(checkpoint);
  if (existsSync(file)) {
    try {
      renameSync(file, previous);
    } catch (error) {
      throw writeFailure(previous, error);
    }
  }
  writeFileAtomic(file, bytes);
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
    throw usageError(`${runDirName} has no checkpoint (${candidates[0]!.shown}); there is nothing to resume. Start a new run instead.`);
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
