import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { outputError, RunnerError } from '../exit-codes.js';

let counter = 0;

/** A sibling temp name: same folder, so the final rename never crosses file systems. */
export function tempName(file: string): string {
  counter += 1;
  return `${file}.tmp-${process.pid}-${counter}`;
}

/** The names tempName gives. Under the run lock no one else writes, so any such file is left by a killed runner. */
export const TEMP_NAME = /\.tmp-\d+-\d+$/;

/**
 * Writes `data` to `file` through a temp file, fsync and rename, so a reader (or a crash) sees
 * either the old file or the complete new one, never half of one. Synchronous on purpose: it
 * runs inside training-event handlers, which must finish before training goes on.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = stageFile(file, data);
  commitFile(temp, file);
  syncFolder(dirname(file));
}

/**
 * The first half of an atomic write: `data` in a temp file beside `file`, on disk (fsync), with
 * nothing under `file` changed yet. Staging every file of a set before renaming any means a
 * failure (a full disk) changes none of them. Returns the temp name for commitFile.
 */
export function stageFile(file: string, data: string | Uint8Array): string {
  const temp = tempName(file);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(temp, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    discardTemp(temp);
    throw writeFailure(file, error);
  }
  return temp;
}

/** Renames a staged temp over `file` (removing the temp if that fails). Follow with syncFolder. */
export function commitFile(temp: string, file: string): void {
  try {
    renameSync(temp, file);
  } catch (error) {
    discardTemp(temp);
    throw writeFailure(file, error);
  }
}

/** Removes a temp file or folder; quietly, because the error that made it stale is the one to report. */
export function discardTemp(temp: string): void {
  try {
    rmSync(temp, { recursive: true, force: true });
  } catch {
    // the sweep on --resume removes it
  }
}

/**
 * Builds a folder under a temp name and renames it into place, so readers find no folder or a
 * whole one, never model.json without its weights. A folder already there is removed first; a
 * crash between the two steps leaves none, which readers take as not yet written.
 */
export function writeFolderAtomic(dir: string, fill: (staging: string) => void): void {
  const staging = tempName(dir);
  try {
    mkdirSync(staging, { recursive: true });
    fill(staging);
    syncFolder(staging);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (error) {
    discardTemp(staging);
    throw error instanceof RunnerError ? error : writeFailure(dir, error);
  }
  syncFolder(dirname(dir));
}

/** What opening or fsyncing a folder fails with where the platform cannot do it (Windows, some network file systems). */
const CANNOT_SYNC_FOLDERS = new Set(['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP']);

/**
 * fsync of a folder: a rename is only durable once the folder that holds the name is, so without
 * it a power cut can bring back the old file after a "successful" save.
 */
export function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (error) {
    if (CANNOT_SYNC_FOLDERS.has((error as NodeJS.ErrnoException).code ?? '')) return;
    throw writeFailure(dir, error);
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!CANNOT_SYNC_FOLDERS.has((error as NodeJS.ErrnoException).code ?? '')) throw writeFailure(dir, error);
  } finally {
    closeSync(fd);
  }
}

/** Exit code 5 with the file and the system's reason. */
export function writeFailure(file: string, error: unknown) {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return outputError(`cannot write ${file}: ${describeErrno(reason)}. Check the folder is writable, or pick another with --out.`, error);
}

function describeErrno(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EEXIST':
      return 'it already exists';
    default:
      return code;
  }
}
