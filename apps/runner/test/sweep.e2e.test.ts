import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, waitForLine } from './helpers.js';
import { sweepOutcome, writeSweep } from './sweep-fixtures.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

describe('runner sweep on the local pool', () => {
  it('runs 6 trials two at a time into ordinary run folders, a report, and the same figures twice', async () => {
    const cwd = await tempDir();
    await writeSweep(cwd);
    const first = await runCli(['sweep', 'sweep.yaml', '--out', 'first', '--json'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const events = parseNdjson(first.stdout);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ event: 'sweep', status: 'done', trials: 6, failed: 0 });
    expect(Number(summary['completed']) + Number(summary['pruned'])).toBe(6);
    expect(events.filter((e) => e['event'] === 'trial')).toHaveLength(6);
    expect(first.stderr).toMatch(/sweep 6\/6 done/);

    const trials = await sweepOutcome(join(cwd, 'first'));
    expect(trials.map((t) => t.id)).toEqual(['t001', 't002', 't003', 't004', 't005', 't006']);
    expect(trials.map((t) => t.parameters)).toContainEqual({ 'schedule.learningRate': 0.3, seed: 2 });
    for (const trial of trials) {
      expect(['completed', 'pruned']).toContain(trial.status);
      expect(trial.curve.length).toBe(trial.status === 'pruned' ? trial.prunedAt : 4);
      expect(trial.curve.every((v) => v > 0 && v <= 1)).toBe(true);
      // An ordinary run folder, reproducible on its own.
      for (const file of ['config.resolved.yaml', 'metrics.jsonl', 'run.json', 'report.html']) expect(existsSync(join(cwd, 'first', 'trials', trial.id, file))).toBe(true);
    }
    // Learning rate 0.01 learns slowest: with ASHA 1/3 the first rung keeps only the leaders.
    expect(trials.filter((t) => t.status === 'pruned').length).toBeGreaterThan(0);

    const csv = (await readFile(join(cwd, 'first', 'trials.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('id,status,schedule.learningRate,seed,validation.accuracy,epochs,pruned_at,test_accuracy,test_loss,seconds,error');
    expect(csv).toHaveLength(7);
    const report = await readFile(join(cwd, 'first', 'report.html'), 'utf8');
    expect(report).toContain('tiny-sweep');
    expect(report).toContain('trials/t001/report.html');

    const resolved = await readFile(join(cwd, 'first', 'trials', 't006', 'config.resolved.yaml'), 'utf8');
    expect(resolved).toMatch(/learningRate: 0\.3/);
    const again = await runCli(['sweep', 'sweep.yaml', '--out', 'second', '--concurrency', '1', '--json'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    expect(await sweepOutcome(join(cwd, 'second'))).toEqual(trials);

    // A trial reproduces on its own with runner train.
    const done = trials.find((t) => t.status === 'completed')!;
    const alone = await runCli(['train', `first/trials/${done.id}/config.resolved.yaml`, '--out', 'alone', '--json'], { cwd });
    expect(alone.code, alone.stderr).toBe(0);
    const epochs = parseNdjson(alone.stdout).filter((e) => e['event'] === 'epoch');
    expect(epochs.map((e) => (e['validation'] as { accuracy: number }).accuracy)).toEqual(done.curve);
  });

  it('stops on Ctrl-C with checkpoints and --resume finishes with the figures of an unstopped sweep', async () => {
    const cwd = await tempDir();
    await writeSweep(cwd);
    const whole = await runCli(['sweep', 'sweep.yaml', '--out', 'whole', '--json'], { cwd });
    expect(whole.code, whole.stderr).toBe(0);

    const stopped = startCli(['sweep', 'sweep.yaml', '--out', 'stopped', '--json'], { cwd });
    await waitForLine(stopped.output, (line) => line.includes('"event":"trial"'));
    stopped.child.kill('SIGINT');
    const result = await stopped.done;
    expect(result.code).toBe(130);
    expect(parseNdjson(result.stdout).at(-1)).toMatchObject({ event: 'sweep', status: 'interrupted', resume: 'runner sweep --resume stopped' });
    const middle = await sweepOutcome(join(cwd, 'stopped'));
    expect(middle.some((t) => t.status === 'interrupted' || t.status === 'pending')).toBe(true);

    const resumed = await runCli(['sweep', '--resume', 'stopped', '--json'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    const expected = await sweepOutcome(join(cwd, 'whole'));
    const got = await sweepOutcome(join(cwd, 'stopped'));
    expect(got.map(({ attempts: _a, ...rest }) => rest)).toEqual(expected.map(({ attempts: _a, ...rest }) => rest));
    // Trials that had finished were not run again.
    const finishedBefore = middle.filter((t) => t.status === 'completed' || t.status === 'pruned').map((t) => t.id);
    for (const id of finishedBefore) expect(got.find((t) => t.id === id)!.attempts).toBe(1);
  });
});

describe('runner sweep: bad sweep files are refused before any trial runs', () => {
  it('points at a parameter path the base config cannot take, with where it lives', async () => {
    const cwd = await tempDir();
    await writeSweep(cwd);
    await writeFile(join(cwd, 'bad.yaml'), (await readFile(join(cwd, 'sweep.yaml'), 'utf8')).replace('schedule.learningRate', 'optimiser.learningRate'));
    const result = await runCli(['sweep', 'bad.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^bad\.yaml:7:3 optimiser\.learningRate.*(unknown option "learningRate"|cannot set).*The base config has learningRate at schedule\.learningRate/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'sweeps'))).toBe(false);
  });

  it('reports schema mistakes at their line with a did-you-mean, and a value the base refuses', async () => {
    const cwd = await tempDir();
    await writeSweep(cwd);
    await writeFile(join(cwd, 'typo.yaml'), 'name: x\nbase: base.yaml\nmethd: grid\nmetric: { name: validation.accuracy }\nparameters:\n  seed: { values: [1] }\n');
    const typo = await runCli(['sweep', 'typo.yaml'], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('typo.yaml:3:1 methd: unknown key "methd"; did you mean "method"?');

    await writeFile(join(cwd, 'value.yaml'), 'name: x\nbase: base.yaml\nmetric: { name: validation.accuracy }\nparameters:\n  model.layers[0].units: { values: [8, -3] }\n');
    const value = await runCli(['sweep', 'value.yaml'], { cwd });
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/^value\.yaml:5:\d+ model\.layers\[0\]\.units.*\(found -3\)/m);

    await writeFile(join(cwd, 'random.yaml'), 'name: x\nbase: base.yaml\nmethod: random\nmetric: { name: validation.accuracy }\nparameters:\n  seed: { distribution: int-uniform, min: 1, max: 9 }\n');
    const random = await runCli(['sweep', 'random.yaml'], { cwd });
    expect(random.code).toBe(2);
    expect(random.stderr).toContain('random.yaml:3:1 method: random search needs maxTrials');
    expect(await readdir(cwd)).not.toContain('sweeps');
  });
});
