import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

const THREE_MISTAKES = `name: three-mistakes
seed: 7
data:
  train: { type: sklearn-digits-json, path: digits.json }
model:
  input: [64]
  layers:
    - { type: dense, units: 0 }
    - relu
    - { type: dense, units: 10 }
loss: softmax-cross-entropie
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: { epochs: 1, batchSize: 8, epohcs: 3 }
`;

describe('usage and config errors exit with 2', () => {
  it('reports three mistakes together, sorted, each at file:line:col, and creates nothing', async () => {
    const cwd = await tempDir();
    await mkdir(join(cwd, 'configs'));
    await writeFile(join(cwd, 'configs/x.yaml'), THREE_MISTAKES);
    const result = await runCli(['configs/x.yaml'], { cwd });
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      'configs/x.yaml:8:22 model.layers[0].units (dense): units must be an integer >= 1 (found 0)',
      expect.stringMatching(/^configs\/x\.yaml:11:1 loss: unknown loss type "softmax-cross-entropie"\. Did you mean "softmax-cross-entropy"\?/),
      expect.stringMatching(/^configs\/x\.yaml:14:38 training\.epohcs: unknown key "epohcs"; did you mean "epochs"\?/),
      '(3 problems in the config; nothing was run)',
    ]);
    expect(result.stderr).not.toContain('    at ');
    expect(result.stdout).toBe('');
    expect(await readdir(cwd)).toEqual(['configs']);
  });

  it('puts --set mistakes at the flag and --json errors on stdout as one event', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'x.yaml'), digitsConfig());
    const result = await runCli(['validate', 'x.yaml', '--set', 'training.batchSize=0', '--set', 'model.layers[1]=relux', '--json'], { cwd });
    expect(result.code).toBe(2);
    const events = parseNdjson(result.stdout);
    expect(events).toHaveLength(1);
    expect(events[0]!['event']).toBe('error');
    const issues = events[0]!['issues'] as { where: string; path: unknown[] }[];
    expect(issues.map((i) => i.where)).toEqual(['--set model.layers[1]=relux', '--set training.batchSize=0']);
  });

  it('rejects an unknown flag or command with a did-you-mean', async () => {
    const cwd = await tempDir();
    const flag = await runCli(['train', 'x.yaml', '--overwirte'], { cwd });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag --overwirte for "runner train". Did you mean --overwrite?');
    const setting = await runCli(['train', 'x.yaml', '--epochs', '3'], { cwd });
    expect(setting.code).toBe(2);
    expect(setting.stderr).toContain('unknown flag --epochs for "runner train": config settings are changed with --set, here --set training.epochs=3.');
    const inline = await runCli(['x.yaml', '--learning-rate=0.1'], { cwd });
    expect(inline.stderr).toContain('--set schedule.learningRate=0.1');
    const command = await runCli(['valdiate', 'x'], { cwd });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "valdiate". Did you mean "runner validate"?');
  });

  it('shows YAML syntax errors with a caret excerpt', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'x.yaml'), 'name: a\nmodel:\n  input: [64\n  layers: []\n');
    const result = await runCli(['validate', 'x.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: x\.yaml:\d+:\d+ YAML syntax error: /);
    expect(result.stderr).toMatch(/\n\s+\| *\^\n/);
  });

  it('reports a missing or malformed plugin module at its plugins entry', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'not-a-plugin.mjs'), 'export default function plugin() {}\n');
    await writeFile(join(cwd, 'x.yaml'), `plugins: [./missing.mjs, ./not-a-plugin.mjs, scratchnet-plugin-nowhere]\n${digitsConfig()}`);
    const result = await runCli(['validate', 'x.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('x.yaml:1:11 plugins[0]: cannot find the plugin module ./missing.mjs');
    expect(result.stderr).toContain('x.yaml:1:26 plugins[1]: ./not-a-plugin.mjs default-exports function, not a plugin package');
    expect(result.stderr).toContain('x.yaml:1:46 plugins[2]: cannot find the plugin package "scratchnet-plugin-nowhere"');
  });
});

describe('other exit codes', () => {
  it('1: an internal error (a plugin that throws) prints no stack unless --debug', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 60);
    await writeFile(
      join(cwd, 'broken.mjs'),
      `export default {
  meta: { name: 'broken', version: '1.0.0', namespace: 'acme' },
  layers: [{
    kind: 'layer', type: 'boom', specVersion: 1, description: 'throws when built',
    optionsSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputShape: (shape) => shape,
    create() { throw new TypeError('boom from a plugin'); },
  }],
};
`,
    );
    const config = digitsConfig({ train: 40, test: 20 }).replace('    - relu\n', '    - acme/boom\n');
    await writeFile(join(cwd, 'x.yaml'), `plugins: [./broken.mjs]\n${config}`);
    const plain = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('internal error: boom from a plugin');
    expect(plain.stderr).not.toContain('    at ');
    const debug = await runCli(['x.yaml', '--out', 'run2', '--debug'], { cwd });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/TypeError: boom from a plugin\n\s+at /);
  });

  it('3: a data file that is not what its plugin reads', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'digits.json'), '{"data": [[1, 2]], "target": [1, 2]}');
    await writeFile(join(cwd, 'x.yaml'), digitsConfig());
    const result = await runCli(['x.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: .*digits\.json/);
    expect(existsSync(join(cwd, 'runs'))).toBe(false);
  });

  it('3: a data file that is missing, with the data folder hint', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ file: 'nowhere/digits.json' }));
    const result = await runCli(['x.yaml'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('nowhere/digits.json');
    expect(result.stderr).toMatch(/SCRATCHNET_DATA|--data-dir/);
  });

  it('5: an existing run directory is never overwritten without --overwrite', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 60);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 40, test: 20, epochs: 1 }));
    await mkdir(join(cwd, 'run'));
    await writeFile(join(cwd, 'run', 'notes.txt'), 'mine');
    const refused = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('run directory run already exists. Pass --overwrite');
    const foreign = await runCli(['x.yaml', '--out', 'run', '--overwrite'], { cwd });
    expect(foreign.code).toBe(5);
    expect(foreign.stderr).toContain('it holds files a run does not write (notes.txt)');
    await writeFile(join(cwd, 'file'), 'a file, not a folder');
    const blocked = await runCli(['x.yaml', '--out', 'file/run'], { cwd });
    expect(blocked.code).toBe(5);
  });

  it('5: of two runs started at the same moment into one --out folder, exactly one writes it', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 300);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 200, test: 50, epochs: 2 }));
    for (const out of ['a', 'b', 'c']) {
      const results = await Promise.all([runCli(['x.yaml', '--out', out], { cwd }), runCli(['x.yaml', '--out', out], { cwd })]);
      expect(results.map((r) => r.code).sort()).toEqual([0, 5]);
      const loser = results.find((r) => r.code === 5)!;
      expect(loser.stderr).toMatch(/run directory \w already exists|run directory \w is in use by another runner \(process \d+/);
      // The winner's run is whole, and its lock is gone.
      expect((await readdir(join(cwd, out))).sort()).toEqual(['checkpoints', 'config.resolved.yaml', 'evaluation.json', 'metrics.jsonl', 'model', 'report.html', 'run.json', 'summary.json']);
    }
  });
});
