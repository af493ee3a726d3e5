import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { outputError, RunnerError } from '../exit-codes.js';
import { writeFailure } from './atomic.js';

/** The files a run writes; --overwrite removes exactly these and refuses if anything else is there. */
export const RUN_FILES = {
  config: 'config.resolved.yaml',
  info: 'run.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  model: 'model',
  checkpoints: 'checkpoints',
} as const;

const KNOWN = new Set<string>(Object.values(RUN_FILES));

export interface RunPaths {
  readonly dir: string;
  readonly config: string;
  readonly info: string;
  readonly metrics: string;
  readonly summary: string;
  readonly model: string;
  readonly checkpoints: string;
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
    const entries = await listIfExists(dir);
    if (entries !== undefined && entries.length > 0) {
      if (!options.overwrite) {
        throw outputError(
          `run directory ${options.out} already exists. Pass --overwrite to replace it, --resume ${options.out} to continue it, or pick another --out.`,
        );
      }
      const foreign = entries.filter((entry) => !KNOWN.has(entry));
      if (foreign.length > 0) {
        throw outputError(
          `refusing to --overwrite ${options.out}: it holds files a run does not write (${foreign.slice(0, 5).join(', ')}). Pick another --out.`,
        );
      }
      for (const entry of entries) await rm(join(dir, entry), { recursive: true, force: true });
    }
  } else {
    const base = resolve(options.cwd, 'runs', `${safeName(options.name)}-${timestamp(options.now)}`);
    dir = base;
    for (let n = 2; (await listIfExists(dir)) !== undefined; n++) dir = `${base}-${n}`;
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw writeFailure(dir, error);
  }
  return runPaths(dir);
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
