import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DOUBLE_PLUGIN_MODULE, digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

describe('runner CONFIG', () => {
  it('trains into a run directory; --json stdout is NDJSON ending in the summary; eval reproduces the test accuracy', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 400);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ epochs: 3 }));
    const result = await runCli(['x.yaml', '--json', '--out', 'run'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const events = parseNdjson(result.stdout);
    expect(events.map((e) => e['event'])).toEqual(['start', 'epoch', 'checkpoint', 'epoch', 'checkpoint', 'epoch', 'checkpoint', 'summary']);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', runDir: 'run', epochs: 3, report: 'run/report.html' });
    const test = summary['test'] as { loss: number; accuracy: number };
    expect(test.accuracy).toBeGreaterThan(0.5);
    expect(Object.keys(summary)).toEqual(['event', 'runDir', 'epochs', 'train', 'test', 'samplesPerSecond', 'seconds', 'report']);

    const run = join(cwd, 'run');
    expect((await readdir(run)).sort()).toEqual(['checkpoints', 'config.resolved.yaml', 'evaluation.json', 'metrics.jsonl', 'model', 'report.html', 'run.json', 'summary.json']);
    expect((await readdir(join(run, 'model'))).sort()).toEqual(['input.json', 'model.json', 'weights.safetensors']);
    expect(existsSync(join(run, 'checkpoints', 'latest.safetensors'))).toBe(true);
    const metrics = (await readFile(join(run, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(metrics.map((m) => m['epoch'])).toEqual([1, 2, 3]);
    expect(Object.keys(metrics[0]!)).toEqual(['epoch', 'epochs', 'train', 'learningRate', 'samplesPerSecond', 'seconds']);
    const resolved = parse(await readFile(join(run, 'config.resolved.yaml'), 'utf8')) as { optimiser: Record<string, unknown> };
    expect(resolved.optimiser).toEqual({ type: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 });

    const evaluation = await runCli(['eval', 'run/model', '--data', 'sklearn-digits-json:digits.json,skip=300,take=100', '--json'], { cwd });
    expect(evaluation.code).toBe(0);
    const [report] = parseNdjson(evaluation.stdout);
    expect(report).toMatchObject({ event: 'evaluation', count: 100 });
    expect(report!['accuracy']).toBe(test.accuracy);
    expect(report!['loss']).toBeCloseTo(test.loss, 5);
  });

  it('prints plain epoch lines and a summary table when stdout is not a TTY', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 200);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 2 }));
    const result = await runCli(['train', 'x.yaml'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).not.toContain('\r');
    expect(result.stdout).toMatch(/^epoch 1\/2 {2}loss \d+\.\d{4} {2}acc \d+\.\d\d% {2}lr 0\.05 {2}[\d,]+ samples\/s/m);
    expect(result.stdout).toMatch(/summary after 2 epochs\n\s+loss\s+accuracy\ntrain\s+\d\.\d{4}\s+\d+\.\d\d%\ntest\s+/);
    const runs = await readdir(join(cwd, 'runs'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^tiny-\d{8}-\d{6}$/);
  });

  it('applies --set and --seed overrides, validated like the file', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 200);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 3 }));
    const result = await runCli(
      ['x.yaml', '--set', 'training.epochs=1', '--set', 'model.layers[0].units=8', '--set', 'optimiser={type: adam}', '--seed', '11', '--json', '--out', 'run'],
      { cwd },
    );
    expect(result.code).toBe(0);
    const events = parseNdjson(result.stdout);
    expect(events.at(-1)).toMatchObject({ event: 'summary', epochs: 1 });
    expect(events[0]).toMatchObject({ event: 'start', parameters: 64 * 8 + 8 + 8 * 10 + 10 });
    const resolved = parse(await readFile(join(cwd, 'run', 'config.resolved.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(resolved['seed']).toBe(11);
    expect(resolved['optimiser']!['type']).toBe('adam');
    const info = JSON.parse(await readFile(join(cwd, 'run', 'run.json'), 'utf8')) as { overrides: string[] };
    expect(info.overrides).toEqual(['--seed 11', '--set training.epochs=1', '--set model.layers[0].units=8', '--set optimiser={type: adam}']);
  });

  it('--threads splits large GEMMs across workers and trains the same weights as one thread', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 200);
    // 150 x 64 x 600 x 2 = 11.5 MFLOP per forward GEMM: above the size the threaded backend splits.
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 2, batchSize: 150 }));
    const train = async (threads: string, out: string) => {
      const args = ['x.yaml', '--backend', 'wasm', '--threads', threads, '--set', 'model.layers[0].units=600', '--json', '--out', out];
      const result = await runCli(args, { cwd });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return { start: parseNdjson(result.stdout)[0]!, weights: await readFile(join(cwd, out, 'model', 'weights.safetensors')) };
    };
    const two = await train('2', 'two');
    const one = await train('1', 'one');
    expect(two.start).toMatchObject({ event: 'start', backend: 'wasm', threads: 2 });
    expect(one.start).toMatchObject({ event: 'start', backend: 'wasm', threads: 1 });
    expect(two.weights.equals(one.weights)).toBe(true);
    const info = JSON.parse(await readFile(join(cwd, 'two', 'run.json'), 'utf8')) as { overrides: string[] };
    expect(info.overrides).toEqual(['--backend wasm', '--threads 2', '--set model.layers[0].units=600']);
  });

  it('validate checks a config, shows the shapes and writes nothing', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'x.yaml'), digitsConfig());
    const result = await runCli(['validate', 'x.yaml'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('x.yaml is valid.');
    expect(result.stdout).toMatch(/input\s+\[64\]\n0\s+dense\s+\[16\]\n1\s+relu\s+\[16\]\n2\s+dense\s+\[10\]/);
    expect(await readdir(cwd)).toEqual(['x.yaml']);
  });

  it('loads a plugin package from a path in plugins: and trains with its namespaced layer', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 100);
    await writeFile(join(cwd, 'double.mjs'), DOUBLE_PLUGIN_MODULE);
    const config = digitsConfig({ train: 80, test: 20, epochs: 1 }).replace('    - relu\n', '    - relu\n    - acme/double\n');
    await writeFile(join(cwd, 'x.yaml'), `plugins: [./double.mjs]\n${config}`);
    const result = await runCli(['x.yaml', '--json', '--out', 'run'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const model = JSON.parse(await readFile(join(cwd, 'run', 'model', 'model.json'), 'utf8')) as { model: { layers: { type: string }[] } };
    expect(model.model.layers.map((l) => l.type)).toEqual(['dense', 'relu', 'acme/double', 'dense']);
  });

  it('prints help for every command with the exit codes', async () => {
    const cwd = await tempDir();
    for (const args of [['--help'], ['train', '--help'], ['eval', '-h'], ['predict', '--help'], ['plugins', '--help'], ['schema', '--help'], ['validate', '--help']]) {
      const result = await runCli(args, { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('130  interrupted');
    }
  });

  it('runner train RUN/config.resolved.yaml reproduces the run bit for bit; run.json records the versions', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, 'configs'));
    await writeDigits(join(cwd, 'configs'), 200);
    await writeFile(join(cwd, 'configs/x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 2 }));
    const first = await runCli(['configs/x.yaml', '--out', 'run1'], { cwd });
    expect(first.code).toBe(0);
    const again = await runCli(['train', 'run1/config.resolved.yaml', '--out', 'run2'], { cwd });
    expect(again.code).toBe(0);
    const weights = async (run: string) => readFile(join(cwd, run, 'model/weights.safetensors'));
    expect(Buffer.compare(await weights('run1'), await weights('run2'))).toBe(0);
    const info = JSON.parse(await readFile(join(cwd, 'run1/run.json'), 'utf8')) as { versions: Record<string, string> };
    expect(info.versions).toMatchObject({ '@scratchnet/runner': expect.any(String), '@scratchnet/tensor': expect.any(String), node: process.version });
  });

  it('prints its version with --version and -V', async () => {
    const cwd = await tempDir();
    const version = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runCli([flag], { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`@scratchnet/runner ${version.version} (Node ${process.version})\n`);
    }
  });

  it('lists plugins and prints the experiment schema', async () => {
    const cwd = await tempDir();
    const plugins = await runCli(['plugins', 'optimiser', '--json'], { cwd });
    expect(plugins.code).toBe(0);
    const [listing] = parseNdjson(plugins.stdout) as { plugins: { kind: string; type: string; options: { name: string }[] }[] }[];
    const sgd = listing!.plugins.find((p) => p.type === 'sgd');
    expect(sgd?.options.map((o) => o.name)).toEqual(expect.arrayContaining(['momentum', 'weightDecay']));
    const schema = await runCli(['schema'], { cwd });
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toHaveProperty('properties.model');
    const line = await runCli(['schema', '--json'], { cwd });
    expect(line.code).toBe(0);
    expect(line.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(line.stdout)).toEqual(JSON.parse(schema.stdout));
  });
});
