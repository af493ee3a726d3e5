import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { outputError, RunnerError } from '../exit-codes.js';
import { TEMP_NAME, writeFailure } from './atomic.js';

/** The files a run writes; --overwrite removes exactly these and refuses if anything else is there. */
export const RUN_FILES = {
  config: 'config.resolved.yaml',
  info: 'run.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  model: 'model',
  checkpoints: 'checkpoints',
  evaluation: 'evaluation.json',
  report: 'report.html',
} as const;

/** Held while a runner writes the folder (created exclusively; removed when it ends). */
export const LOCK_FILE = '.runner.lock';

const KNOWN = new Set<string>([...Object.values(RUN_FILES), LOCK_FILE]);
/** A run's own file, or the temp of one that a killed runner left. */
const isRunFile = (entry: string): boolean => KNOWN.has(entry.replace(TEMP_NAME, ''));

export interface RunPaths {
  readonly dir: string;
  readonly config: string;
  readonly info: string;
  readonly metrics: string;
  readonly summary: string;
  readonly model: string;
  readonly checkpoints: string;
  readonly evaluation: string;
  readonly report: string;
}

export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: join(dir, RUN_FILES.config),
    info: join(dir, RUN_FILES.info),
    metrics: join(dir, RUN_FILES.metrics),
    summary: join(dir, RUN_FILES.summary),
    model: join(dir, RUN_FILES.model),
    checkpoints: join(dir, RUN_FILES.checkpoints),
    evaluation: join(dir, RUN_FILES.evaluation),
    report: join(dir, RUN_FILES.report),
  };
}

/** `20240131-235959` in UTC: sortable and safe in file names on every OS. */
export function timestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

export interface CreateRunDirOptions {
  readonly name: string;
  readonly cwd: string;
  readonly out?: string;
  readonly overwrite: boolean;
  readonly now: Date;
  /** Folder of the default `<root>/<name>-<timestamp>` (default `runs`; sweeps use `sweeps`). */
  readonly root?: string;
}

/**
 * Makes the run directory: `--out DIR`, or `runs/<name>-<timestamp>` (with `-2`, `-3`, ... if
 * that second is taken). An existing `--out` directory with content is an error unless
 * `--overwrite`, which removes only a previous run's files.
 */
export async function createRunDir(options: CreateRunDirOptions): Promise<RunPaths> {
  let dir: string;
  if (options.out !== undefined) {
    dir = resolve(options.cwd, options.out);
    const entries = (await listIfExists(dir))?.filter((entry) => entry !== LOCK_FILE);
    if (entries !== undefined && entries.length > 0) {
      if (!options.overwrite) {
        throw outputError(
          `run directory ${options.out} already exists. Pass --overwrite to replace it, --resume ${options.out} to continue it, or pick another --out.`,
        );
      }
      const foreign = entries.filter((entry) => !isRunFile(entry));
      if (foreign.length > 0) {
        throw outputError(
          `refusing to --overwrite ${options.out}: it holds files a run does not write (${foreign.slice(0, 5).join(', ')}). Pick another --out.`,
        );
      }
      // Claimed before anything is removed: of two runners overwriting it, one stops untouched.
      await lockRunDir(dir, options.out);
      for (const entry of entries) await rm(join(dir, entry), { recursive: true, force: true });
      return runPaths(dir);
    }
    await makeDir(dir, true);
  } else {
    // A new folder of our own: mkdir without `recursive` fails if another runner made it first.
    const base = resolve(options.cwd, options.root ?? 'runs', `${safeName(options.name)}-${timestamp(options.now)}`);
    await makeDir(dirname(base), true);
    dir = base;
    for (let n = 2; !(await makeDir(dir, false)); n++) dir = `${base}-${n}`;
  }
  await lockRunDir(dir, options.out ?? dir);
  return runPaths(dir);
}

/** mkdir; false when `exclusive` and the folder exists already. */
async function makeDir(dir: string, recursive: boolean): Promise<boolean> {
  try {
    await mkdir(dir, { recursive });
    return true;
  } catch (error) {
    if (!recursive && (error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw writeFailure(dir, error);
  }
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/**
 * Takes the folder's lock file, created exclusively (O_EXCL), so of two runners writing one run
 * folder at the same moment exactly one goes on; the other stops (exit 5) naming the holder. A
 * lock left by a process that no longer runs on this host (killed with -9) is taken over; this
 * process's own lock is kept.
 */
export async function lockRunDir(dir: string, shown: string): Promise<void> {
  const file = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailure(file, error);
    }
    const holder = await readLock(file);
    if (holder !== undefined && holder.host === owner.host && holder.pid === process.pid) return;
    if (holder !== undefined && (holder.host !== owner.host || alive(holder.pid))) {
      throw outputError(
        `run directory ${shown} is in use by another runner (process ${holder.pid} on ${holder.host}, since ${holder.started}). ` +
          'Wait for it to finish, or pick another --out.',
      );
    }
    await rm(file, { force: true });
  }
  throw outputError(`run directory ${shown} is being claimed by another runner at this moment; pick another --out.`);
}

/**
 * Removes the temp files and folders (`*.tmp-<pid>-<n>`) anywhere in a run folder: what a runner
 * killed mid-write left. Call it holding the lock, which guarantees no other runner is writing.
 */
export async function removeTempFiles(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (error) {
    throw writeFailure(dir, error);
  }
  // A temp inside a temp folder is gone with the folder; `force` lets its own removal pass.
  for (const entry of entries.filter((e) => TEMP_NAME.test(basename(e)))) {
    try {
      await rm(join(dir, entry), { recursive: true, force: true });
    } catch (error) {
      throw writeFailure(join(dir, entry), error);
    }
  }
}

/** Removes this process's lock (the run is over, however it ended). */
export async function unlockRunDir(dir: string): Promise<void> {
  const holder = await readLock(join(dir, LOCK_FILE));
  if (holder?.pid === process.pid && holder.host === hostname()) await rm(join(dir, LOCK_FILE), { force: true });
}

/** Whether another live runner holds the folder's lock, i.e. is training into it now. */
export async function heldByAnotherRunner(dir: string): Promise<boolean> {
  const holder = await readLock(join(dir, LOCK_FILE));
  if (holder === undefined) return false;
  if (holder.host !== hostname()) return true;
  return holder.pid !== process.pid && alive(holder.pid);
}

async function readLock(file: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch {
    // Unreadable or half-written by a killed process: treated as stale.
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
}

async function listIfExists(dir: string): Promise<string[] | undefined> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw outputError(`${dir} exists and is not a folder; pick another --out.`);
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof RunnerError) throw error;
    throw writeFailure(dir, error);
  }
}
