import { buildNetwork, type Network } from '@scratchnet/train';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.js';
import { loadExperiment } from '../config/load-config.js';
import { firstLayerView, layerRows } from './model-view.js';

/** A network of `layers` (YAML flow items) on `input`, its weights set to 0, 1, 2, ... in memory order. */
async function network(input: string, layers: string): Promise<Network> {
  const text = `name: view
seed: 1
data: { train: { type: sklearn-digits-json } }
model: { input: ${input}, layers: [${layers}] }
loss: softmax-cross-entropy
optimiser: sgd
schedule: { type: fixed, learningRate: 0.1 }
training: { epochs: 1, batchSize: 1, backend: js }
`;
  const { experiment, registry } = await loadExperiment({ text, displayName: 'x.yaml', configDir: process.cwd(), overrides: [] });
  const built = buildNetwork(experiment.model, registry, { seed: 1, backend: selectBackend('js') });
  for (const parameter of built.parameters) parameter.value.data.forEach((_, i, data) => (data[i] = i));
  return built;
}

describe('firstLayerView of a dense first layer', () => {
  it("draws each unit's weight column as the flattened input image", async () => {
    // W is [784, 3]: unit u's weight for pixel p sits at p * 3 + u.
    const net = await network('[1, 28, 28]', 'flatten, { type: dense, units: 3 }, relu, { type: dense, units: 10 }');
    const view = firstLayerView(net)!;
    expect(view.layer).toBe('layer 1 (dense)');
    expect(view.images).toHaveLength(3);
    const unit1 = view.images[1]!;
    expect([unit1.width, unit1.height]).toEqual([28, 28]);
    expect(Array.from(unit1.pixels).slice(0, 3)).toEqual([1, 4, 7]);
    expect(unit1.pixels[28 * 5 + 2]).toBe((28 * 5 + 2) * 3 + 1);
    // Symmetric about zero, so zero is mid-grey in every image.
    expect(unit1.range).toEqual([-(783 * 3 + 1), 783 * 3 + 1]);
    expect(view.caption).toContain('its 3 units');
  });

  it('lays a flat input out by the raw data shape, else as a square, and shows the first 64 units', async () => {
    const digits = await network('[64]', '{ type: dense, units: 100 }, relu, { type: dense, units: 10 }');
    const view = firstLayerView(digits, [1, 8, 8])!;
    expect(view.images).toHaveLength(64);
    expect(view.images.map((image) => [image.width, image.height])).toEqual(new Array(64).fill([8, 8]));
    expect(Array.from(view.images[63]!.pixels).slice(0, 2)).toEqual([63, 163]);
    expect(view.caption).toContain('the first 64 of its 100 units');
    // Without input.json a square input is still a picture; 4x16 data laid out as such.
    expect(firstLayerView(digits)!.images[0]!.width).toBe(8);
    expect(firstLayerView(digits, [1, 4, 16])!.images[0]!).toMatchObject({ width: 16, height: 4 });
  });

  it('gives no view when the input is not an image or a layer before the first dense one changes values', async () => {
    expect(firstLayerView(await network('[10]', '{ type: dense, units: 10 }'))).toBeUndefined();
    expect(firstLayerView(await network('[64]', 'relu, { type: dense, units: 10 }'), [1, 8, 8])).toBeUndefined();
    expect(firstLayerView(await network('[2, 8, 8]', 'flatten, { type: dense, units: 10 }'))).toBeUndefined();
  });
});

describe('firstLayerView of a conv2d first layer', () => {
  it("draws each filter's kernel per input channel, filter by filter", async () => {
    // W is [3, 2, 2, 2]: image k is W's k-th run of 4 values (filter floor(k / 2), channel k % 2).
    const net = await network('[2, 6, 6]', '{ type: conv2d, filters: 3, kernelSize: 2 }, flatten, { type: dense, units: 10 }');
    const view = firstLayerView(net)!;
    expect(view.layer).toBe('layer 0 (conv2d)');
    expect(view.images).toHaveLength(6);
    expect(view.images.map((image) => Array.from(image.pixels))).toEqual([0, 1, 2, 3, 4, 5].map((k) => [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3]));
    expect(view.images[5]).toMatchObject({ width: 2, height: 2, range: [-23, 23] });
    expect(view.caption).toMatch(/^3 filters of 2x2 per input channel/);
  });

  it('shows at most 64 kernels', async () => {
    const net = await network('[1, 8, 8]', '{ type: conv2d, filters: 70, kernelSize: 3 }, flatten, { type: dense, units: 10 }');
    const view = firstLayerView(net)!;
    expect(view.images).toHaveLength(64);
    expect(view.caption).toContain('the first 64 of 70 kernels');
  });
});

describe('layerRows', () => {
  it('lists every layer with its output shape and parameter count', async () => {
    const net = await network('[1, 8, 8]', 'flatten, { type: dense, units: 5 }, relu, { type: dense, units: 10, useBias: false }');
    expect(layerRows(net)).toEqual([
      { index: 0, type: 'flatten', outputShape: [64], parameters: 0 },
      { index: 1, type: 'dense', outputShape: [5], parameters: 64 * 5 + 5 },
      { index: 2, type: 'relu', outputShape: [5], parameters: 0 },
      { index: 3, type: 'dense', outputShape: [10], parameters: 50 },
    ]);
  });
});
