import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { outputError } from '../exit-codes.js';

let counter = 0;

/** A sibling temp name: same folder, so the final rename never crosses file systems. */
export function tempName(file: string): string {
  counter += 1;
  return `${file}.tmp-${process.pid}-${counter}`;
}

/**
 * Writes `data` to `file` through a temp file, fsync and rename, so a reader (or a crash) sees
 * either the old file or the complete new one, never half of one. Synchronous on purpose: it
 * runs inside training-event handlers, which must finish before training goes on.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
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
    renameSync(temp, file);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the original error is the one worth reporting
    }
    throw writeFailure(file, error);
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
