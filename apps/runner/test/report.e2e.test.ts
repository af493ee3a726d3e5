import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, pausePluginModule, pausedConfig, removeTempDirs, requireBuiltCli, runCli, startCli, tempDir, waitForLine, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** A working folder with the synthetic digits, the pause plugin and x.yaml holding `config`. */
async function workspace(config = digitsConfig()): Promise<string> {
  const cwd = await tempDir();
  await writeDigits(cwd, 400);
  await writeFile(join(cwd, 'pause.mjs'), pausePluginModule());
  await writeFile(join(cwd, 'x.yaml'), config);
  return cwd;
}

const read = (cwd: string, file: string): Promise<string> => readFile(join(cwd, file), 'utf8');
const json = async (cwd: string, file: string): Promise<Record<string, unknown>> => JSON.parse(await read(cwd, file)) as Record<string, unknown>;

/** A report opens from disk with nothing fetched: no script, no address of any server. */
function expectSelfContained(html: string): void {
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/https?:/i);
}

/** What a reader sees: the page without its style sheet (which names every status) and its tags. */
const visibleText = (html: string): string => html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]*>/g, ' ');

/** The statuses a page shows. */
const statuses = (html: string): string[] => ['completed', 'interrupted', 'diverged', 'running'].filter((s) => visibleText(html).includes(s));

interface Sample {
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  readonly confidence: number;
}

describe('report.html and evaluation.json after runner train', () => {
  it('a completed run has both; runner report rebuilds the report from the folder alone', async () => {
    const cwd = await workspace();
    const trained = await runCli(['x.yaml', '--out', 'run', '--json'], { cwd });
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const summary = parseNdjson(trained.stdout).at(-1)! as { event: string; test: { loss: number; accuracy: number } };
    expect(summary.event).toBe('summary');

    const evaluation = (await json(cwd, 'run/evaluation.json')) as { count: number; accuracy: number; loss: number; confusion: number[][]; misclassified: Sample[]; confidentCorrect: Sample[] };
    expect(evaluation).toMatchObject({ format: 'scratchnet-evaluation', count: 100, accuracy: summary.test.accuracy, loss: summary.test.loss });
    const correct = evaluation.confusion.reduce((sum, row, label) => sum + row[label]!, 0);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(correct / 100).toBe(evaluation.accuracy);
    expect(evaluation.misclassified).toHaveLength(Math.min(100, 100 - correct));
    expect(evaluation.misclassified.every((s) => s.label !== s.predicted)).toBe(true);
    expect(evaluation.confidentCorrect).toHaveLength(Math.min(20, correct));
    expect(evaluation.confidentCorrect.every((s) => s.label === s.predicted)).toBe(true);
    for (const list of [evaluation.misclassified, evaluation.confidentCorrect]) {
      expect(list.map((s) => s.confidence)).toEqual([...list.map((s) => s.confidence)].sort((a, b) => b - a));
    }
    // The labels recorded are the test set's: the synthetic digits' labels run 0..9 in turn.
    expect(evaluation.misclassified.every((s) => s.label === (300 + s.index) % 10)).toBe(true);

    const info = await json(cwd, 'run/run.json');
    expect(info['machine']).toMatchObject({ platform: process.platform, arch: process.arch, cpus: expect.any(Number) });
    expect(info['outcome']).toMatchObject({ status: 'completed', epoch: 2 });

    const html = await read(cwd, 'run/report.html');
    expectSelfContained(html);
    expect(visibleText(html)).toContain('tiny');
    expect(statuses(html)).toEqual(['completed']);
    expect(html).not.toContain('Left out');

    await rm(join(cwd, 'run/report.html'));
    const rebuilt = await runCli(['report', 'run'], { cwd });
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toBe(`${join('run', 'report.html')}\n`);
    expect(await read(cwd, 'run/report.html')).toBe(html);

    // Elsewhere with --out; without the test data the digits are left out with a warning.
    await rename(join(cwd, 'digits.json'), join(cwd, 'moved.json'));
    const elsewhere = await runCli(['report', 'run', '--out', 'out/r.html', '--json'], { cwd });
    expect(elsewhere.code).toBe(0);
    const events = parseNdjson(elsewhere.stdout);
    expect(events.at(-1)).toEqual({ event: 'report', path: join('out', 'r.html') });
    expect(events[0]).toMatchObject({ event: 'warning', message: expect.stringContaining('Left out the test digits: the test set could not be loaded') });
    const partial = await read(cwd, 'out/r.html');
    expectSelfContained(partial);
    expect(partial).toContain('Left out the test digits');
  });

  it('Ctrl-C leaves a report marked interrupted; a resumed run killed later is no longer reported as that stop', async () => {
    const cwd = await workspace(pausedConfig(digitsConfig({ epochs: 8 })));
    const run = startCli(['x.yaml', '--out', 'stopped', '--json'], { cwd });
    await waitForLine(run.output, (line) => line.includes('"event":"epoch"'));
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(existsSync(join(cwd, 'stopped/evaluation.json'))).toBe(false);
    const info = await json(cwd, 'stopped/run.json');
    expect(info['outcome']).toMatchObject({ status: 'interrupted', batchInEpoch: expect.any(Number) });
    const html = await read(cwd, 'stopped/report.html');
    expectSelfContained(html);
    expect(statuses(html)).toEqual(['interrupted']);
    expect(visibleText(html)).toMatch(/Interrupted in epoch \d+ after batch \d+\. runner --resume stopped continues it\./);

    const resumed = startCli(['--resume', 'stopped', '--json'], { cwd });
    await waitForLine(resumed.output, (line) => line.includes('"event":"epoch"'));
    resumed.child.kill('SIGKILL');
    await resumed.done;
    expect((await json(cwd, 'stopped/run.json'))['outcome']).toBeUndefined();
    const again = await runCli(['report', 'stopped'], { cwd });
    expect(again.code).toBe(0);
    const rebuilt = await read(cwd, 'stopped/report.html');
    expect(statuses(rebuilt)).toEqual(['interrupted']);
    expect(visibleText(rebuilt)).toContain('The run stopped before it finished');
  });

  it('a diverged run gets a report marked diverged, with the message', async () => {
    const config = digitsConfig({ epochs: 4 }).replace(/schedule: .*/, 'schedule: { type: exponential, learningRate: 0.05, gamma: 1.0e+15, unit: epoch }');
    const cwd = await workspace(config);
    const result = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(result.code).toBe(4);
    expect((await json(cwd, 'run/run.json'))['outcome']).toMatchObject({ status: 'diverged', message: expect.stringContaining('non-finite') });
    const html = await read(cwd, 'run/report.html');
    expect(statuses(html)).toEqual(['diverged']);
    expect(visibleText(html)).toMatch(/non-finite .* The last good checkpoint \(epoch \d\) is what this report shows\./);
  });

  it('a report that cannot be written is a warning: the training keeps its exit code', async () => {
    const cwd = await workspace(pausedConfig(digitsConfig({ epochs: 2 })));
    const run = startCli(['x.yaml', '--out', 'run', '--json'], { cwd });
    await waitForLine(run.output, (line) => line.includes('"event":"start"'));
    // A folder in the report's place: the rename onto it fails.
    await mkdir(join(cwd, 'run/report.html/blocked'), { recursive: true });
    const result = await run.done;
    expect(result.code).toBe(0);
    const events = parseNdjson(result.stdout);
    expect(events.at(-1)).toMatchObject({ event: 'summary' });
    expect(events.find((e) => e['event'] === 'warning')).toMatchObject({ message: expect.stringContaining('report.html was not written') });
  });
});

describe('runner compare', () => {
  it('writes one page naming every run and the setting that differs, replacing an earlier one', async () => {
    const cwd = await workspace();
    expect((await runCli(['x.yaml', '--out', 'run1'], { cwd })).code).toBe(0);
    expect((await runCli(['x.yaml', '--out', 'run2', '--set', 'schedule.learningRate=0.2'], { cwd })).code).toBe(0);
    await writeFile(join(cwd, 'compare.html'), 'old');
    const result = await runCli(['compare', 'run1', 'run2'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('compare.html\n');
    const html = await read(cwd, 'compare.html');
    expectSelfContained(html);
    const text = visibleText(html);
    expect(text).toContain('run1');
    expect(text).toContain('run2');
    expect(text).toMatch(/schedule\.learningRate\s+0\.05\s+0\.2/);

    const out = await runCli(['compare', 'run1', 'run2', '--out', 'pages/c.html', '--json'], { cwd });
    expect(out.code).toBe(0);
    expect(parseNdjson(out.stdout)).toEqual([{ event: 'comparison', path: join('pages', 'c.html'), runs: ['run1', 'run2'] }]);
    expect(existsSync(join(cwd, 'pages/c.html'))).toBe(true);
  });
});

describe('report and compare errors', () => {
  it('exit 2 for a folder that is not a run or too few runs, 3 for damaged run files; nothing written', async () => {
    const cwd = await workspace();
    await mkdir(join(cwd, 'empty'));
    const cases: [string[], number, string][] = [
      [['report'], 2, 'runner report takes one RUN_DIR'],
      [['report', 'empty'], 2, 'empty is not a run folder (run.json and config.resolved.yaml missing): it needs run.json and config.resolved.yaml'],
      [['report', 'nowhere'], 2, 'nowhere is not a run folder (no such folder)'],
      [['compare', 'empty'], 2, 'runner compare needs at least two run folders, got 1 (empty)'],
      [['compare', 'empty', 'nowhere'], 2, 'empty is not a run folder'],
    ];
    for (const [args, code, message] of cases) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(cwd, 'compare.html'))).toBe(false);
    expect(existsSync(join(cwd, 'empty/report.html'))).toBe(false);

    expect((await runCli(['x.yaml', '--out', 'run', '--set', 'training.epochs=1'], { cwd })).code).toBe(0);
    await writeFile(join(cwd, 'run/metrics.jsonl'), '{"epoch":1,"train":{"loss":1,"accuracy":0.5}}\n{"epo\n{"epoch":2,"train":{"loss":1,"accuracy":0.5}}\n');
    const damaged = await runCli(['report', 'run'], { cwd });
    expect(damaged.code).toBe(3);
    expect(damaged.stderr).toContain('run/metrics.jsonl is damaged: line 2 is not valid JSON');
    const compared = await runCli(['compare', 'run', 'run'], { cwd });
    expect(compared.code).toBe(3);
    await writeFile(join(cwd, 'run/run.json'), '{"format": "scratchnet-run", "na');
    const info = await runCli(['report', 'run'], { cwd });
    expect(info.code).toBe(3);
    expect(info.stderr).toContain('run/run.json is damaged: it is not valid JSON');
  });

  it('prints help for both commands with the exit codes', async () => {
    const cwd = await tempDir();
    for (const command of ['report', 'compare']) {
      const result = await runCli([command, '--help'], { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`runner ${command} RUN_DIR`);
      expect(result.stdout).toContain('130  interrupted');
    }
  });
});
