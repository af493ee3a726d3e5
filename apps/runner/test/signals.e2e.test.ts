import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeCheckpoint } from '@scratchnet/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, pausePluginModule, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, waitForLine, writeDigits, type CliResult } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/**
 * acme/pause blocking each training forward as a big batch would: 300 ms, and 2 s for a
 * process's 4th batch (the first of epoch 2). Signals that arrive meanwhile are handled together
 * when it ends, so two Ctrl-C sent 100 ms apart in that batch reach the runner before it has
 * acted on the first, on any machine.
 */
const PAUSE = pausePluginModule('batches === 4 ? 2000 : 300');

const EVAL_DATA = 'sklearn-digits-json:digits.json,skip=300';

/** 2 epochs of 3 batches, each at least 300 ms. */
async function setUp(): Promise<string> {
  const cwd = await tempDir();
  await writeDigits(cwd, 400);
  await mkdir(join(cwd, 'plugins'));
  await writeFile(join(cwd, 'plugins', 'pause.mjs'), PAUSE);
  const config = digitsConfig({ train: 300, test: 100, epochs: 2, batchSize: 100 }).replace('    - relu\n', '    - relu\n    - acme/pause\n');
  await writeFile(join(cwd, 'x.yaml'), `plugins: [./plugins/pause.mjs]\n${config}`);
  return cwd;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The status a shell reports: the exit code, or 128 + the signal number for a process killed by one. */
function shellStatus(result: CliResult): number | null {
  return result.code ?? (result.signal === 'SIGINT' ? 130 : null);
}

async function tempFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => /\.tmp-/.test(entry));
}

/** Every checkpoint file in the run decodes; returns the epoch each one holds. */
async function checkpointEpochs(runDir: string): Promise<Record<string, number>> {
  const epochs: Record<string, number> = {};
  for (const name of ['latest.safetensors', 'previous.safetensors']) {
    const file = join(runDir, 'checkpoints', name);
    if (existsSync(file)) epochs[name] = decodeCheckpoint(new Uint8Array(await readFile(file))).epoch;
  }
  return epochs;
}

/** The stopped run still evaluates from its checkpoints and resumes to the end. */
async function expectUsable(cwd: string, run: string): Promise<void> {
  const evaluation = await runCli(['eval', `${run}/checkpoints`, '--data', EVAL_DATA, '--json'], { cwd });
  expect(evaluation.stderr).toBe('');
  expect(evaluation.code).toBe(0);
  const resumed = await runCli(['--resume', run, '--json'], { cwd });
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(parseNdjson(resumed.stdout).at(-1)).toMatchObject({ event: 'summary', epochs: 2 });
}

describe('a second Ctrl-C', () => {
  it('during a batch: exits 130 at once, before the first one writes its checkpoint; the files are whole and nothing is left half-done', async () => {
    const cwd = await setUp();
    const run = startCli(['x.yaml', '--out', 'stopped', '--json'], { cwd });
    await waitForLine(run.output, (line) => line.includes('"event":"checkpoint"') && line.includes('"epoch":1'));
    // Epoch 2's first batch is now blocked in acme/pause for 2 s: both signals land inside it.
    run.child.kill('SIGINT');
    await sleep(100);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.signal).toBeNull();
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('interrupted: finishing the current batch and writing a checkpoint (Ctrl-C again stops at once)');
    expect(stopped.stderr).toContain('stopped at once; the newest complete checkpoint is kept');
    // Stopped before the first Ctrl-C's own checkpoint and its resume line: the epoch checkpoints stand.
    expect(parseNdjson(stopped.stdout).map((e) => e['event'])).toEqual(['start', 'epoch', 'checkpoint']);
    expect(await checkpointEpochs(join(cwd, 'stopped'))).toEqual({ 'latest.safetensors': 1, 'previous.safetensors': 0 });
    expect(await tempFiles(join(cwd, 'stopped'))).toEqual([]);
    await expectUsable(cwd, 'stopped');
  });

  it('right after the first one is acknowledged: exit status 130, whole checkpoints, no temp files', async () => {
    const cwd = await setUp();
    const run = startCli(['x.yaml', '--out', 'stopped'], { cwd });
    await waitForLine(run.output, (line) => line.startsWith('epoch 1/2  loss'));
    run.child.kill('SIGINT');
    await waitForLine(run.output, (line) => line.startsWith('interrupted: finishing the current batch'));
    // Lands while the stop checkpoint is written, or just after: the runner may exit 130 itself or
    // be ended by the signal (once it stops listening); a shell reports 130 either way.
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(shellStatus(stopped)).toBe(130);
    const epochs = await checkpointEpochs(join(cwd, 'stopped'));
    expect(epochs['latest.safetensors']).toBeGreaterThanOrEqual(1);
    expect(await tempFiles(join(cwd, 'stopped'))).toEqual([]);
    await expectUsable(cwd, 'stopped');
  });
});
