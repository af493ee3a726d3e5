import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeCheckpoint, decodeSafetensors, encodeSafetensors, type Checkpoint } from '@scratchnet/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, trainMetrics, writeDigits, pausePluginModule, pausedConfig, type CliResult } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** Six tiny epochs, a checkpoint after each: about a second of training, mostly file writes. */
const CONFIG = digitsConfig({ train: 300, test: 100, epochs: 6 });
/** NODE_OPTIONS that preload kill-at-fs-call.mjs: SIGKILL before the Nth file step (see there). */
const importKiller = `--import ${JSON.stringify(pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), 'kill-at-fs-call.mjs')).href)}`;
/** The names the runner's atomic writes use before their rename: `<name>.tmp-<pid>-<n>`. */
const TEMP_NAME = /\.tmp-\d+-\d+$/;

interface Reference {
  readonly cwd: string;
  readonly weights: Buffer;
  readonly metrics: string[];
  /** From the start event (run folder made, nothing trained) to the exit: the part worth killing. */
  readonly milliseconds: number;
}

/** Starts the runner; resolves with the time of its start event (or undefined if it ended first). */
function startRun(args: readonly string[], cwd: string): { run: ReturnType<typeof startCli>; started: Promise<number | undefined> } {
  const run = startCli(args, { cwd });
  const started = new Promise<number | undefined>((resolveStarted) => {
    run.child.stdout!.on('data', () => {
      if (run.output().includes('"event":"start"')) resolveStarted(performance.now());
    });
    void run.done.then(() => resolveStarted(undefined));
  });
  return { run, started };
}

/**
 * The random-kill battery's network: with acme/pause a run's length is mostly sleep, so kill
 * moments drawn from a reference run's length land inside later runs too (CPU-bound runs vary
 * several-fold when the test suite runs beside them).
 */
const PAUSED_CONFIG = pausedConfig(CONFIG);

async function reference(config = CONFIG): Promise<Reference> {
  const cwd = await tempDir();
  await writeDigits(cwd, 400);
  await writeFile(join(cwd, 'pause.mjs'), pausePluginModule());
  await writeFile(join(cwd, 'x.yaml'), config);
  const { run, started } = startRun(['x.yaml', '--out', 'uninterrupted', '--json'], cwd);
  const full = await run.done;
  const milliseconds = performance.now() - ((await started) ?? Number.NaN);
  expect(full.code, full.stderr).toBe(0);
  return { cwd, milliseconds, weights: await readFile(join(cwd, 'uninterrupted', 'model', 'weights.safetensors')), metrics: await trainMetrics(join(cwd, 'uninterrupted')) };
}

/** Every temp file or folder anywhere in the run folder. */
async function tempFiles(run: string): Promise<string[]> {
  return (await readdir(run, { recursive: true })).filter((entry) => TEMP_NAME.test(basename(entry)));
}

async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  try {
    return decodeCheckpoint(new Uint8Array(await readFile(file)));
  } catch {
    return undefined; // missing or half-written: --resume skips it too
  }
}

/** Whether a model weights file holds exactly the checkpoint's weights. */
function holdsWeightsOf(weights: ReturnType<typeof decodeSafetensors>['tensors'], checkpoint: Checkpoint | undefined): boolean {
  if (checkpoint === undefined) return false;
  return Object.entries(checkpoint.weights).every(([name, tensor]) => {
    const found = weights.get(name)?.data;
    const expected = Float32Array.from(tensor.data);
    return found instanceof Float32Array && found.length === expected.length && found.every((value, i) => Object.is(value, expected[i]));
  });
}

/**
 * What `runner eval RUN` and `--resume` find after a crash: no checkpoints/ or a whole model in
 * it whose weights are those of the checkpoint --resume continues from (latest, else previous);
 * no model/ or a whole one.
 */
async function expectCoherent(run: string): Promise<void> {
  const checkpoints = join(run, 'checkpoints');
  if (existsSync(checkpoints)) {
    const entries = await readdir(checkpoints);
    const names = entries.filter((name) => !TEMP_NAME.test(name));
    expect(names, `${checkpoints} is incomplete`).toEqual(expect.arrayContaining(['model.json', 'input.json', 'weights.safetensors']));
    const latest = await readCheckpoint(join(checkpoints, 'latest.safetensors'));
    const previous = await readCheckpoint(join(checkpoints, 'previous.safetensors'));
    expect(latest ?? previous, `${checkpoints} holds no checkpoint`).toBeDefined();
    const { tensors } = decodeSafetensors(new Uint8Array(await readFile(join(checkpoints, 'weights.safetensors'))));
    if (!holdsWeightsOf(tensors, latest ?? previous)) {
      // The one gap writeCheckpoint leaves: killed between renaming the new latest and the new
      // weights into place. The weights are then previous's, the new ones still staged beside.
      expect(latest !== undefined && holdsWeightsOf(tensors, previous), `weights.safetensors is not from epoch ${(latest ?? previous)!.epoch}`).toBe(true);
      expect(entries.some((name) => name.startsWith('weights.safetensors.tmp-'))).toBe(true);
    }
  }
  const model = join(run, 'model');
  if (existsSync(model)) expect((await readdir(model)).sort(), `${model} is incomplete`).toEqual(['input.json', 'model.json', 'weights.safetensors']);
}

/** A resumed (or restarted) run ended exactly as the uninterrupted one. */
async function expectFinishedLikeReference(run: string, ref: Reference): Promise<void> {
  expect(Buffer.compare(await readFile(join(run, 'model', 'weights.safetensors')), ref.weights), `${run} weights differ`).toBe(0);
  expect(await trainMetrics(run)).toEqual(ref.metrics);
  expect(existsSync(join(run, 'summary.json'))).toBe(true);
}

/** --resume after a crash: continues to the reference weights, or (no checkpoint yet) exits 2. */
async function resumeAfterCrash(ref: Reference, out: string): Promise<'resumed' | 'nothing to resume'> {
  const run = join(ref.cwd, out);
  const resumed = await runCli(['--resume', out, '--json'], { cwd: ref.cwd });
  let outcome: 'resumed' | 'nothing to resume';
  if (resumed.code === 2) {
    expect(resumed.stderr).toContain(`${out} has no checkpoint`);
    expect(resumed.stderr).toContain('there is nothing to resume');
    expect(existsSync(join(run, 'checkpoints')), `${out} has checkpoints/ but resume found none`).toBe(false);
    outcome = 'nothing to resume';
  } else {
    expect(resumed.code, resumed.stderr).toBe(0);
    await expectFinishedLikeReference(run, ref);
    outcome = 'resumed';
  }
  expect(await tempFiles(run)).toEqual([]);
  expect(existsSync(join(run, '.runner.lock'))).toBe(false);
  return outcome;
}

/** The command the "nothing to resume" message gives starts the run over and ends as the reference. */
async function expectRestart(ref: Reference, out: string): Promise<void> {
  const again = await runCli([`${out}/config.resolved.yaml`, '--out', out, '--overwrite'], { cwd: ref.cwd });
  expect(again.code, again.stderr).toBe(0);
  await expectFinishedLikeReference(join(ref.cwd, out), ref);
  expect(await tempFiles(join(ref.cwd, out))).toEqual([]);
}

/** mulberry32: a seeded stream, so the test picks the same kill moments every time. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

describe('kill -9', () => {
  let ref: Reference;
  beforeAll(async () => {
    ref = await reference();
  });

  it('at every file step of the first checkpoint leaves no checkpoints/ or a whole one, and --resume then agrees', async () => {
    const env = { NODE_OPTIONS: importKiller, KILL_AT_FS_AFTER: `${sep}checkpoints` };
    let firstCheckpointWritten = false;
    const outcomes: string[] = [];
    for (let step = 0; step < 40 && !firstCheckpointWritten; step++) {
      const out = `step-${step}`;
      const killed: CliResult = await runCli(['x.yaml', '--out', out], { cwd: ref.cwd, env: { ...env, KILL_AT_FS_CALL: String(step) } });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      await expectCoherent(join(ref.cwd, out));
      firstCheckpointWritten = existsSync(join(ref.cwd, out, 'checkpoints', 'latest.safetensors'));
      outcomes.push(await resumeAfterCrash(ref, out));
    }
    expect(firstCheckpointWritten).toBe(true);
    expect(outcomes.at(-1)).toBe('resumed');
    expect(outcomes).toContain('nothing to resume');
    // Once, the way on that message gives: the run starts over in place, as if never killed.
    await expectRestart(ref, `step-${outcomes.lastIndexOf('nothing to resume')}`);
  }, 120_000);

  it('between renaming a new latest and its weights into place: the weights are previous\'s, the new ones staged; --resume finishes', async () => {
    // Per save, from staging the weights: open their temp, latest -> previous, latest, weights.
    const env = { NODE_OPTIONS: importKiller, KILL_AT_FS_AFTER: `${sep}checkpoints${sep}weights.safetensors.tmp-`, KILL_AT_FS_CALL: '3' };
    const killed = await runCli(['x.yaml', '--out', 'between'], { cwd: ref.cwd, env });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const checkpoints = join(ref.cwd, 'between', 'checkpoints');
    expect((await readCheckpoint(join(checkpoints, 'latest.safetensors')))?.epoch).toBe(1);
    expect((await readdir(checkpoints)).filter((name) => TEMP_NAME.test(name))).toEqual([expect.stringMatching(/^weights\.safetensors\.tmp-/)]);
    await expectCoherent(join(ref.cwd, 'between'));
    expect(await resumeAfterCrash(ref, 'between')).toBe('resumed');
  });

  it('after its last checkpoint, with the weights one epoch behind latest: --resume mends them and writes model/ and summary.json', async () => {
    // The state a crash between a save's last two renames leaves, at the end of the run.
    await cp(join(ref.cwd, 'uninterrupted'), join(ref.cwd, 'late'), { recursive: true });
    const checkpoints = join(ref.cwd, 'late', 'checkpoints');
    const previous = decodeCheckpoint(new Uint8Array(await readFile(join(checkpoints, 'previous.safetensors'))));
    await writeFile(join(checkpoints, 'weights.safetensors'), encodeSafetensors(previous.weights, { format: 'scratchnet-weights', formatVersion: '1' }));
    await rm(join(ref.cwd, 'late', 'model'), { recursive: true });
    await rm(join(ref.cwd, 'late', 'summary.json'));

    expect(await resumeAfterCrash(ref, 'late')).toBe('resumed');
    expect(Buffer.compare(await readFile(join(checkpoints, 'weights.safetensors')), ref.weights), 'checkpoints/weights.safetensors not mended').toBe(0);
    await expectCoherent(join(ref.cwd, 'late'));
  });

  it('20 times at seeded random moments: --resume ends byte-identical to an uninterrupted run, or there was nothing to resume', async () => {
    const ref = await reference(PAUSED_CONFIG);
    expect(PAUSED_CONFIG).toContain('acme/pause');
    const random = seeded(0x5eed);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const out = `kill-${i}`;
      const run = join(ref.cwd, out);
      // From the start event to the exit: start-up before it (modules, data, run folder) takes
      // longer than the training and varies more, so moments counted from the spawn would mostly
      // land there.
      const delay = random() * ref.milliseconds;
      const { run: child, started } = startRun(['x.yaml', '--out', out, '--json'], ref.cwd);
      let timer: NodeJS.Timeout | undefined;
      void started.then((at) => {
        if (at !== undefined) timer = setTimeout(() => child.child.kill('SIGKILL'), delay);
      });
      const result = await child.done;
      clearTimeout(timer);
      if (result.code === 0) {
        // It finished before the kill came.
        await expectFinishedLikeReference(run, ref);
        expect(await tempFiles(run)).toEqual([]);
        outcomes.push('finished');
        continue;
      }
      expect(result.signal, result.stderr).toBe('SIGKILL');
      await expectCoherent(run);
      outcomes.push(await resumeAfterCrash(ref, out));
    }
    // The moments are seeded but the machine's speed is not; most kills must still land mid-run.
    expect(outcomes.filter((o) => o === 'resumed').length, outcomes.join(', ')).toBeGreaterThanOrEqual(5);
  }, 180_000);
});
