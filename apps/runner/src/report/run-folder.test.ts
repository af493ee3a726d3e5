import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, RunnerError } from '../exit-codes.js';
import { readRunFolder } from './run-folder.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const CONFIG = 'seed: 3\nmodel: { input: [64] }\ntraining: { epochs: 4, backend: auto, threads: 0 }\n';
const INFO = { format: 'scratchnet-run', formatVersion: 1, name: 'tiny', config: 'x.yaml', configDir: '/c', overrides: [], createdAt: '2025-01-01T00:00:00Z' };
const LINE = (epoch: number) => JSON.stringify({ epoch, epochs: 4, train: { loss: 0.5, accuracy: null }, learningRate: 0.1, samplesPerSecond: 10, seconds: 1 });

/** A run folder in a fresh working folder, with `files` (name -> content) written into `run/`. */
async function folder(files: Record<string, string>): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'run-folder-'));
  dirs.push(cwd);
  await mkdir(join(cwd, 'run'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(cwd, 'run', name), content);
  return cwd;
}

async function exitCodeOf(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RunnerError);
  return { code: (error as RunnerError).exitCode, message: (error as Error).message };
}

describe('readRunFolder', () => {
  it('reads the settings and the epoch lines, leaving out a torn last line and reading null as NaN', async () => {
    const cwd = await folder({ 'run.json': JSON.stringify(INFO), 'config.resolved.yaml': CONFIG, 'metrics.jsonl': `${LINE(1)}\n${LINE(2)}\n{"epoch":3,"tr` });
    const run = await readRunFolder('run', cwd);
    expect(run.shown).toBe('run');
    expect(run.settings).toEqual({ seed: 3, epochs: 4, backend: 'auto', threads: 0, input: [64] });
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(run.epochs[0]!.train.accuracy).toBeNaN();
    expect(run.summary).toBeUndefined();
    expect(run.evaluation).toBeUndefined();
    expect(run.inUse).toBe(false);
  });

  it('is exit 2 for a folder that is not a run, saying what a run folder has', async () => {
    const cwd = await folder({ 'run.json': JSON.stringify(INFO) });
    const missing = await exitCodeOf(readRunFolder('run', cwd));
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.message).toContain('run is not a run folder (config.resolved.yaml missing): it needs run.json and config.resolved.yaml');
    expect((await exitCodeOf(readRunFolder('nowhere', cwd))).message).toContain('nowhere is not a run folder (no such folder)');
    const foreign = await folder({ 'run.json': '{"format":"other"}', 'config.resolved.yaml': CONFIG });
    expect((await exitCodeOf(readRunFolder('run', foreign))).code).toBe(EXIT.usage);
  });

  it('is exit 3 for damaged files, naming the file and the line', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'run.json': '{"format":', 'config.resolved.yaml': CONFIG }, 'run/run.json is damaged: it is not valid JSON'],
      [{ 'run.json': JSON.stringify(INFO), 'config.resolved.yaml': 'seed: [' }, 'run/config.resolved.yaml is damaged: it is not valid YAML'],
      [{ 'run.json': JSON.stringify(INFO), 'config.resolved.yaml': 'seed: 1\n' }, 'run/config.resolved.yaml is damaged: it lacks seed'],
      [{ 'run.json': JSON.stringify(INFO), 'config.resolved.yaml': CONFIG, 'metrics.jsonl': `${LINE(1)}\nnot json\n${LINE(3)}\n` }, 'run/metrics.jsonl is damaged: line 2 is not valid JSON'],
      [{ 'run.json': JSON.stringify(INFO), 'config.resolved.yaml': CONFIG, 'summary.json': '[]' }, 'run/summary.json is damaged: it has no "seconds"'],
      [{ 'run.json': JSON.stringify(INFO), 'config.resolved.yaml': CONFIG, 'evaluation.json': '{"format":"scratchnet-evaluation","formatVersion":1,"count":2,"classNames":["a","b"],"confusion":[[1,0],[0,1]],"misclassified":[{"index":2,"label":0,"predicted":1,"confidence":0.9}],"confidentCorrect":[]}' }, 'run/evaluation.json is damaged: misclassified[0] must be'],
    ];
    for (const [files, message] of cases) {
      const failure = await exitCodeOf(readRunFolder('run', await folder(files)));
      expect(failure.code, message).toBe(EXIT.badData);
      expect(failure.message).toContain(message);
    }
  });
});
