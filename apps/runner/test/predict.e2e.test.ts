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
});
