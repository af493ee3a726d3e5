import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunnerError } from '../exit-codes.js';
import { LOCK_FILE, createRunDir, heldByAnotherRunner, removeTempFiles, timestamp, unlockRunDir } from './run-dir.js';

let cwd = '';
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'runner-run-dir-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const now = new Date(Date.UTC(2024, 0, 31, 23, 59, 58));

async function failure(promise: Promise<unknown>): Promise<RunnerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RunnerError) return error;
    throw error;
  }
  throw new Error('expected a RunnerError');
}

describe('createRunDir', () => {
  it('names default runs runs/<name>-<UTC timestamp> and never reuses a taken name', async () => {
    expect(timestamp(now)).toBe('20240131-235958');
    const first = await createRunDir({ name: 'my net/1', cwd, overwrite: false, now });
    const second = await createRunDir({ name: 'my net/1', cwd, overwrite: false, now });
    expect(first.dir).toBe(join(cwd, 'runs', 'my-net-1-20240131-235958'));
    expect(second.dir).toBe(`${first.dir}-2`);
  });

  it('uses an empty or missing --out folder, refuses a used one (exit 5) unless --overwrite', async () => {
    const paths = await createRunDir({ name: 'a', cwd, out: 'out', overwrite: false, now });
    expect(paths.metrics).toBe(join(cwd, 'out', 'metrics.jsonl'));
    await writeFile(paths.metrics, '{}\n');
    await mkdir(paths.model);
    // What the end of a run adds: --overwrite removes these too.
    await writeFile(paths.evaluation, '{}\n');
    await writeFile(paths.report, '<!doctype html>\n');
    const refused = await failure(createRunDir({ name: 'a', cwd, out: 'out', overwrite: false, now }));
    expect(refused.exitCode).toBe(5);
    expect(refused.message).toContain('Pass --overwrite to replace it, --resume out to continue it');
    await createRunDir({ name: 'a', cwd, out: 'out', overwrite: true, now });
    // Only this process's lock is left.
    expect(await readdir(join(cwd, 'out'))).toEqual([LOCK_FILE]);
  });

  it('lets exactly one of two runners claim an --out folder; the other stops with exit 5 naming the holder', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      await mkdir(join(cwd, 'out'));
      await writeFile(join(cwd, 'out', LOCK_FILE), JSON.stringify({ pid: holder.pid, host: hostname(), started: 'then' }));
      expect(await heldByAnotherRunner(join(cwd, 'out'))).toBe(true);
      const refused = await failure(createRunDir({ name: 'a', cwd, out: 'out', overwrite: false, now }));
      expect(refused.exitCode).toBe(5);
      expect(refused.message).toContain(`run directory out is in use by another runner (process ${holder.pid} on ${hostname()}, since then)`);
    } finally {
      holder.kill();
    }
    // Its process gone, the lock is stale and taken over.
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(await heldByAnotherRunner(join(cwd, 'out'))).toBe(false);
    await createRunDir({ name: 'a', cwd, out: 'out', overwrite: false, now });
    expect(JSON.parse(await readFile(join(cwd, 'out', LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    // This process's own lock is not another runner's.
    expect(await heldByAnotherRunner(join(cwd, 'out'))).toBe(false);
    await unlockRunDir(join(cwd, 'out'));
    expect(await readdir(join(cwd, 'out'))).toEqual([]);
  });

  it('--overwrite removes only a run\'s own files and refuses a folder with anything else', async () => {
    await mkdir(join(cwd, 'out'));
    await writeFile(join(cwd, 'out', 'metrics.jsonl'), '');
    await writeFile(join(cwd, 'out', 'thesis.tex'), 'precious');
    const refused = await failure(createRunDir({ name: 'a', cwd, out: 'out', overwrite: true, now }));
    expect(refused.exitCode).toBe(5);
    expect(refused.message).toContain('thesis.tex');
    expect(await readFile(join(cwd, 'out', 'thesis.tex'), 'utf8')).toBe('precious');
  });
});

describe('removeTempFiles', () => {
  it('removes the temp files and folders a killed runner left anywhere in the run, and nothing else', async () => {
    const run = join(cwd, 'run');
    await mkdir(join(run, 'checkpoints.tmp-123-4'), { recursive: true });
    await writeFile(join(run, 'checkpoints.tmp-123-4', 'model.json'), '{}');
    await mkdir(join(run, 'checkpoints'), { recursive: true });
    await mkdir(join(run, 'model'), { recursive: true });
    for (const file of ['run.json', 'run.json.tmp-9-1', 'checkpoints/latest.safetensors', 'checkpoints/weights.safetensors.tmp-77-12', 'model/model.json', 'model/notes.tmp']) {
      await writeFile(join(run, file), 'x');
    }
    await removeTempFiles(run);
    expect((await readdir(run, { recursive: true })).sort()).toEqual(['checkpoints', 'checkpoints/latest.safetensors', 'model', 'model/model.json', 'model/notes.tmp', 'run.json']);
  });

  it('lets --overwrite replace a run that left temp files, and still refuses foreign ones', async () => {
    await mkdir(join(cwd, 'out', 'checkpoints.tmp-5-6'), { recursive: true });
    await writeFile(join(cwd, 'out', 'run.json'), '{}');
    await writeFile(join(cwd, 'out', 'config.resolved.yaml.tmp-5-2'), 'half');
    await createRunDir({ name: 'a', cwd, out: 'out', overwrite: true, now });
    expect(await readdir(join(cwd, 'out'))).toEqual([LOCK_FILE]);
    await unlockRunDir(join(cwd, 'out'));

    await writeFile(join(cwd, 'out', 'thesis.tex.tmp-5-2'), 'precious');
    const refused = await failure(createRunDir({ name: 'a', cwd, out: 'out', overwrite: true, now }));
    expect(refused.message).toContain('thesis.tex.tmp-5-2');
  });
});
