import { definePreprocess, type PreprocessPlugin } from '@scratchnet/spec';
import { shapeSize } from '@scratchnet/tensor';

// Test-only (excluded from the build): small preprocessing steps the batcher and preprocess
// tests register, each with a property that tells tests apart what ran where.

/** x / by in place, elementwise (tableable); `onApply` runs on every apply, to count them. */
export function divideStep(onApply: () => void = () => undefined): PreprocessPlugin<{ by: number }> {
  return definePreprocess<{ by: number }>({
    kind: 'preprocess',
    type: 'divide',
    specVersion: 1,
    description: 'Divides by a constant.',
    optionsSchema: { type: 'object', properties: { by: { type: 'number' } }, required: ['by'] },
    create: ({ by }) => ({
      outputShape: (shape) => shape,
      elementwise: true,
      apply(images) {
        onApply();
        for (let i = 0; i < images.length; i++) images[i] = images[i]! / by;
        return images;
      },
    }),
  });
}

/** x + the value's position in its sample: not elementwise; in place or into a new array. */
export function rampStep(inPlace: boolean): PreprocessPlugin<Record<string, never>> {
  return definePreprocess({
    kind: 'preprocess',
    type: 'ramp',
    specVersion: 1,
    description: 'Adds each pixel its position.',
    optionsSchema: { type: 'object' },
    create: () => ({
      outputShape: (shape) => shape,
      apply(images, shape) {
        const size = shapeSize(shape);
        const out = inPlace ? images : new Float32Array(images.length);
        for (let i = 0; i < images.length; i++) out[i] = images[i]! + (i % size);
        return out;
      },
    }),
  });
}

/** A reshape to one feature axis, elementwise. */
export const flatStep = definePreprocess({
  kind: 'preprocess',
  type: 'flat',
  specVersion: 1,
  description: 'One feature axis.',
  optionsSchema: { type: 'object' },
  create: () => ({ outputShape: (shape) => [shapeSize(shape)], elementwise: true, apply: (images) => images }),
});
