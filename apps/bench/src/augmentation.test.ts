import { createJsBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { AUGMENTATION_PIPELINES, type AugmentationResult, augmentationTargets, benchAugmentation, renderAugmentation } from './augmentation.js';
import type { Mnist } from './mnist.js';
import { summarise } from './stats.js';

const result = (epoch?: number): AugmentationResult => ({
  ...(epoch === undefined ? { epochUnavailable: 'LeNet-5 could not be trained: no conv2d' } : { epoch: { contestant: 'w2', samplesPerSecond: epoch, method: 'the lenet5 row' } }),
  samples: 60_000,
  batchSize: 64,
  method: 'test',
  loadAverage: 1.5,
  entries: [
    { name: 'elastic', options: 'elastic sigma 4, alpha 34', target: true, samplesPerSecond: summarise([100_000, 90_000, 110_000]) },
    { name: 'shift + rotate + scale', options: 'x', target: true, samplesPerSecond: summarise([50_000]) },
    { name: 'shift', options: 'shift maxPixels 2', target: false, samplesPerSecond: summarise([400_000]) },
  ],
});

describe('augmentation section', () => {
  it('gives each pipeline its share of the LeNet-5 epoch, and the 20% target for elastic and shift + rotate + scale', () => {
    expect(augmentationTargets(result(15_000))).toEqual([
      { target: 'augmentation elastic: < 20% of a LeNet-5 epoch', measured: '15.0% (100,000 samples/s against 15,000, w2)', met: true },
      { target: 'augmentation shift + rotate + scale: < 20% of a LeNet-5 epoch', measured: '30.0% (50,000 samples/s against 15,000, w2)', met: false },
    ]);
    const markdown = renderAugmentation(result(15_000)).join('\n');
    expect(markdown).toContain('LeNet-5 epoch: 15,000 samples/s (w2; the lenet5 row), 4.00 s per 60,000 samples.');
    expect(markdown).toContain('| elastic | elastic sigma 4, alpha 34 | 100,000 [90,000–110,000] | 0.60 s | 15.0% | yes (target) |');
    expect(markdown).toContain('| shift | shift maxPixels 2 | 400,000 [400,000–400,000] | 0.15 s | 3.8% | yes |');
    expect(markdown).toContain('load average 1.50');
  });

  it('says why when there is no LeNet-5 epoch to compare with', () => {
    expect(augmentationTargets(result()).map((t) => t.met)).toEqual(['not measured', 'not measured']);
    expect(renderAugmentation(result()).join('\n')).toContain('| elastic | elastic sigma 4, alpha 34 | 100,000 [90,000–110,000] | 0.60 s | — | — (target) |');
  });

  it('times every pipeline over the training images (a small fake set here)', async () => {
    const count = 200;
    const images = Float32Array.from({ length: count * 784 }, (_, i) => ((i * 2654435761) % 997) / 997);
    const train = { images, labels: new Uint8Array(count), count, sampleShape: [784], classes: 10 };
    const mnist = { train, test: train } as unknown as Mnist;
    const lines: string[] = [];
    const measured = await benchAugmentation(mnist, {
      quick: true,
      measuredEpoch: { contestant: 'w2', samplesPerSecond: 10_000, method: 'test' },
      backend: createJsBackend(),
      backendName: 'js',
      log: (line) => lines.push(line),
    });
    expect(measured.samples).toBe(count);
    expect(measured.entries.map((e) => e.name)).toEqual(AUGMENTATION_PIPELINES.map((p) => p.name));
    for (const entry of measured.entries) expect(entry.samplesPerSecond.median).toBeGreaterThan(0);
    expect(measured.entries.find((e) => e.name === 'elastic')?.options).toBe('elastic sigma 4, alpha 34');
    expect(lines).toEqual([expect.stringMatching(/^augmentation: pass 1 of 1 of shift, rotate, /)]);
    // The pipelines work on a copy: the training images are untouched.
    expect(images[123]).toBe(Math.fround(((123 * 2654435761) % 997) / 997));
  });
});
