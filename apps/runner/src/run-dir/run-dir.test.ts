import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunnerError } from '../exit-codes.js';
import { writeFileAtomic } from './atomic.js';
import { LOCK_FILE, createRunDir, timestamp, unlockRunDir } from './run-dir.js';

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
      const refused = await failure(createRunDir({ name: 'a', cwd, out: 'out', overwrite: false, now }));
      expect(refused.exitCode).toBe(5);
      expect(refused.message).toContain(`run directory out is in use by another runner (process ${holder.pid} on ${hostname()}, since then)`);
    } finally {
      holder.kill();
    }
    // Its process gone, the lock is stale and taken over.
    await new Promise((resolve) => holder.once('exit', resolve));
    await createRunDir({ name: 'a', cwd, out: 'out', overwrite: false, now });
    expect(JSON.parse(await readFile(join(cwd, 'out', LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
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

describe('writeFileAtomic', () => {
  it('replaces a file in one step and leaves no temp files', () => {
    const file = join(cwd, 'deep', 'a.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, new Uint8Array([116, 119, 111]));
    expect(existsSync(file)).toBe(true);
    return readdir(join(cwd, 'deep')).then(async (entries) => {
      expect(entries).toEqual(['a.json']);
      expect(await readFile(file, 'utf8')).toBe('two');
    });
  });

  it('fails with exit 5 naming the file when the folder cannot be made', async () => {
    await writeFile(join(cwd, 'blocker'), '');
    let error: unknown;
    try {
      writeFileAtomic(join(cwd, 'blocker', 'a.json'), 'x');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RunnerError);
    expect((error as RunnerError).exitCode).toBe(5);
    expect((error as RunnerError).message).toContain(`cannot write ${join(cwd, 'blocker', 'a.json')}`);
  });
});
