import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '@scratchnet/train';
import { dataError, usageError } from '../exit-codes.js';
import { writeFileAtomic } from './atomic.js';

/** Only the latest checkpoint is kept; it replaces the previous one atomically. */
export const CHECKPOINT_FILE = 'latest.safetensors';

export function writeCheckpoint(checkpointsDir: string, checkpoint: Checkpoint): string {
  const file = join(checkpointsDir, CHECKPOINT_FILE);
  writeFileAtomic(file, encodeCheckpoint(checkpoint));
  return file;
}

export async function readCheckpoint(checkpointsDir: string, runDirName: string): Promise<Checkpoint> {
  const file = join(checkpointsDir, CHECKPOINT_FILE);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw usageError(`${runDirName} has no checkpoint (${file}); there is nothing to resume. Start a new run instead.`);
    }
    throw dataError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, error);
  }
  return decodeCheckpoint(bytes, file);
}
