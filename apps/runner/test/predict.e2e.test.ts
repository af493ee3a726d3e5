import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsConfig, parseNdjson, removeTempDirs, requireBuiltCli, runCli, tempDir, writeDigits } from './helpers.js';

beforeAll(requireBuiltCli);
afterAll(removeTempDirs);

/** A dark vertical stroke on a light background, like a photographed "1". */
function strokePng(): Buffer {
  const png = new pngjs.PNG({ width: 40, height: 60 });
  for (let y = 0; y < 60; y++) {
    for (let x = 0; x < 40; x++) {
      const ink = x >= 17 && x <= 22 && y >= 8 && y <= 52;
      const i = 4 * (y * 40 + x);
      png.data[i] = png.data[i + 1] = png.data[i + 2] = ink ? 20 : 235;
      png.data[i + 3] = 255;
    }
  }
  return pngjs.PNG.sync.write(png);
}

/** A single-colour PNG: no ink at all. */
function solidPng(value: number): Buffer {
  const png = new pngjs.PNG({ width: 20, height: 20 });
  for (let i = 0; i < 400; i++) {
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = value;
    png.data[4 * i + 3] = 255;
  }
  return pngjs.PNG.sync.write(png);
}

/** An idx3 images file of `count` 8x8 images. */
function idxImages(count: number): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(8, 8);
  header.writeUInt32BE(8, 12);
  const pixels = Buffer.alloc(count * 64);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37) % 17;
  return Buffer.concat([header, pixels]);
}

describe('eval and predict on a trained 8x8 model', () => {
  let cwd = '';

  beforeAll(async () => {
    cwd = await tempDir();
    await writeDigits(cwd, 200);
    await writeFile(join(cwd, 'x.yaml'), digitsConfig({ train: 150, test: 50, epochs: 2 }));
    const trained = await runCli(['x.yaml', '--out', 'run'], { cwd });
    expect(trained.code).toBe(0);
  });

  it('eval on 28x28 data fails with exit 3 and names both shapes', async () => {
    const result = await runCli(['eval', 'run/model', '--data', 'mnist:test'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('--data mnist:test has samples of [1, 28, 28] (784 values');
    expect(result.stderr).toContain('expects input [64] (64 values)');
    expect(result.stderr).not.toContain('    at ');
  });

  it('eval needs --data and an existing model folder', async () => {
    expect((await runCli(['eval', 'run/model'], { cwd })).code).toBe(2);
    const missing = await runCli(['eval', 'nowhere', '--data', 'mnist:test'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('model folder nowhere not found');
    const unknownType = await runCli(['eval', 'run', '--data', 'txt3:dir'], { cwd });
    expect(unknownType.code).toBe(2);
    expect(unknownType.stderr).toContain('Did you mean "txt32"?');
  });

  it('predicts a PNG and every image of an idx file, with probabilities', async () => {
    await writeFile(join(cwd, 'one.png'), strokePng());
    await writeFile(join(cwd, 'images.idx3-ubyte'), idxImages(2));
    const result = await runCli(['predict', 'run', 'one.png', 'images.idx3-ubyte', '--json'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const predictions = parseNdjson(result.stdout) as { file: string; index?: number; class: string; probabilities: Record<string, number> }[];
    expect(predictions.map((p) => [p.file, p.index])).toEqual([
      ['one.png', undefined],
      ['images.idx3-ubyte', 0],
      ['images.idx3-ubyte', 1],
    ]);
    for (const p of predictions) {
      expect(Object.keys(p.probabilities)).toHaveLength(10);
      expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(p.probabilities[p.class]).toBe(Math.max(...Object.values(p.probabilities)));
    }
    const text = await runCli(['predict', 'run/model', 'one.png'], { cwd });
    expect(text.stdout).toMatch(/^one\.png: \d \(\d [\d.]+%, \d [\d.]+%, \d [\d.]+%\)\n$/);
  });

  it('refuses a 32x32 text digit for an 8x8 model with exit 3', async () => {
    await writeFile(join(cwd, '7_1.txt'), `${'0'.repeat(32)}\r\n`.repeat(32));
    const result = await runCli(['predict', 'run/model', '7_1.txt'], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('7_1.txt holds samples of [1, 32, 32]');
  });

  it('goes on past bad files, predicting every good one, and exits 3 at the end', async () => {
    await writeFile(join(cwd, 'one.png'), strokePng());
    await writeFile(join(cwd, 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    await writeFile(join(cwd, '7_2.txt'), `${'0'.repeat(32)}\n`.repeat(32));
    const args = ['predict', 'run/model', 'broken.png', 'one.png', 'missing.png', '7_2.txt', 'one.png'];
    const text = await runCli(args, { cwd });
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^one\.png: \d \(.*\)\none\.png: \d \(.*\)\n$/);
    expect(text.stderr).toContain('broken.png: expected a PNG image');
    expect(text.stderr).toContain('cannot read missing.png: no such file');
    expect(text.stderr).toContain('7_2.txt holds samples of [1, 32, 32]');
    expect(text.stderr).not.toContain('    at ');

    const json = await runCli([...args, '--json'], { cwd });
    expect(json.code).toBe(3);
    const events = parseNdjson(json.stdout);
    expect(events.map((e) => [e.event, e.file])).toEqual([
      ['error', 'broken.png'],
      ['prediction', 'one.png'],
      ['error', 'missing.png'],
      ['error', '7_2.txt'],
      ['prediction', 'one.png'],
    ]);
    for (const e of events.filter((e) => e.event === 'error')) expect(e.exitCode).toBe(3);
    expect(events[0]!.code).toBe('DATA_FORMAT');

    const good = await runCli(['predict', 'run/model', 'one.png', 'one.png'], { cwd });
    expect(good.code).toBe(0);
  });

  it('reports a blank picture as "no ink found" instead of predicting it', async () => {
    await writeFile(join(cwd, 'white.png'), solidPng(255));
    await writeFile(join(cwd, 'black.png'), solidPng(0));
    await writeFile(join(cwd, 'one.png'), strokePng());
    const text = await runCli(['predict', 'run/model', 'white.png', 'one.png', 'black.png'], { cwd });
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^one\.png: \d \(.*\)\n$/);
    expect(text.stderr).toContain('no ink found in white.png');
    expect(text.stderr).toContain('no ink found in black.png');

    const json = await runCli(['predict', 'run/model', 'white.png', '--json'], { cwd });
    expect(json.code).toBe(3);
    const [event] = parseNdjson(json.stdout);
    expect(event).toMatchObject({ event: 'error', exitCode: 3, file: 'white.png' });
    expect(event!.message).toContain('no ink found in white.png');
  });
});

describe('predict with a sigmoid model trained on a squared-error loss', () => {
  it('shows scores, not percentages that do not add up to 100%', async () => {
    const cwd = await tempDir();
    await writeDigits(cwd, 120);
    const config = digitsConfig({ train: 100, test: 20, epochs: 1 })
      .replace('    - relu\n', '    - sigmoid\n')
      .replace('    - { type: dense, units: 10 }\n', '    - { type: dense, units: 10 }\n    - sigmoid\n')
      .replace('loss: softmax-cross-entropy', 'loss: quadratic');
    expect(config).toContain('loss: quadratic');
    expect(config.match(/- sigmoid\n/g)).toHaveLength(2);
    await writeFile(join(cwd, 'q.yaml'), config);
    expect((await runCli(['q.yaml', '--out', 'run'], { cwd })).code).toBe(0);
    await writeFile(join(cwd, 'one.png'), strokePng());

    const text = await runCli(['predict', 'run/model', 'one.png'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^one\.png: \d \(scores \d 0\.\d{3}, \d 0\.\d{3}, \d 0\.\d{3}\)\n$/);
    expect(text.stdout).not.toContain('%');

    const json = await runCli(['predict', 'run/model', 'one.png', '--json'], { cwd });
    const [prediction] = parseNdjson(json.stdout) as { class: string; score: number; scores: Record<string, number>; probabilities?: unknown }[];
    expect(prediction!.probabilities).toBeUndefined();
    expect(Object.keys(prediction!.scores)).toHaveLength(10);
    expect(prediction!.score).toBe(Math.max(...Object.values(prediction!.scores)));
    for (const s of Object.values(prediction!.scores)) expect(s >= 0 && s <= 1).toBe(true);
  });
});
