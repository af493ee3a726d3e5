import { ShapeError } from '@scratchnet/spec';
import { describe, expect, it } from 'vitest';
import { paddingSchema, requireImageShape, resolveWindow, sizePairSchema, toPair, windowOutputShape, windowOutputSize } from './window-options.js';

const options = (kernelSize: number | [number, number], extra: Partial<Parameters<typeof resolveWindow>[0]> = {}) => ({
  kernelSize,
  stride: 1,
  padding: 'valid' as const,
  dilation: 1,
  ...extra,
});

describe('window options', () => {
  it('reads an integer as both sides and a pair as [height, width]', () => {
    expect(toPair(3)).toEqual([3, 3]);
    expect(toPair([2, 5])).toEqual([2, 5]);
  });

  it("resolves 'valid', an integer and a pair to [top, left, bottom, right]", () => {
    expect(resolveWindow(options(3), 8, 8)).toEqual({ kernel: [3, 3], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1] });
    expect(resolveWindow(options([3, 1], { padding: 2, stride: [2, 1], dilation: [1, 3] }), 8, 8)).toEqual({
      kernel: [3, 1],
      stride: [2, 1],
      padding: [2, 2, 2, 2],
      dilation: [1, 3],
    });
    expect(resolveWindow(options(3, { padding: [1, 0] }), 8, 8).padding).toEqual([1, 0, 1, 0]);
  });

  it("pads 'same' to ceil(input / stride) outputs, the odd pixel at the bottom/right", () => {
    // Odd kernel, stride 1: (k - 1) / 2 on each side.
    expect(resolveWindow(options(3, { padding: 'same' }), 5, 6).padding).toEqual([1, 1, 1, 1]);
    // Even kernels: total k - 1, the extra pixel after.
    expect(resolveWindow(options(2, { padding: 'same' }), 5, 6).padding).toEqual([0, 0, 1, 1]);
    expect(resolveWindow(options([4, 2], { padding: 'same' }), 5, 6).padding).toEqual([1, 0, 2, 1]);
    // Stride 2 on 7 and 8: outputs 4 and 4; total max((4 - 1)*2 + 3 - 7, 0) = 2 and max(6 + 3 - 8, 0) = 1.
    expect(resolveWindow(options(3, { padding: 'same', stride: 2 }), 7, 8).padding).toEqual([1, 0, 1, 1]);
    // Dilation 2 makes a 3x3 kernel span 5: total 4.
    expect(resolveWindow(options(3, { padding: 'same', dilation: 2 }), 6, 6).padding).toEqual([2, 2, 2, 2]);
    // A stride larger than the kernel may need no padding at all.
    expect(resolveWindow(options(2, { padding: 'same', stride: 3 }), 6, 7).padding).toEqual([0, 0, 0, 1]);
    for (const [size, kernel, stride, dilation] of [[5, 2, 1, 1], [7, 4, 2, 1], [8, 3, 3, 2], [9, 5, 2, 2], [1, 7, 1, 1], [6, 1, 4, 1]] as const) {
      const window = resolveWindow(options(kernel, { padding: 'same', stride, dilation }), size, size);
      const [top, , bottom] = window.padding;
      expect(bottom - top === 0 || bottom - top === 1).toBe(true);
      expect(windowOutputSize(size, kernel, stride, top, bottom, dilation)).toBe(Math.ceil(size / stride));
    }
  });

  it('gives [channels, oh, ow], or a ShapeError when the kernel is larger than the padded input', () => {
    expect(windowOutputShape('conv2d', [3, 7, 9], resolveWindow(options(3, { stride: 2 }), 7, 9), 6)).toEqual([6, 3, 4]);
    expect(() => windowOutputShape('max-pool2d', [3, 2, 9], resolveWindow(options(3), 2, 9), 3)).toThrow(
      new ShapeError(
        undefined,
        'max-pool2d',
        'at least [3, 3, 3] for kernelSize [3, 3], dilation [1, 1] and padding [0, 0, 0, 0] (top, left, bottom, right)',
        '[3, 2, 9]',
        "The window does not fit (the output would be [3, 0, 7]): use a smaller kernelSize or dilation, padding: 'same', " +
          'or fewer pooling or strided layers before this one.',
      ).message,
    );
  });

  it('accepts only [channels, height, width] images', () => {
    expect(requireImageShape('conv2d', [1, 28, 28])).toEqual([1, 28, 28]);
    for (const shape of [[784], [28, 28], [1, 1, 28, 28], [], [1, 0, 3], [1, 2.5, 3]]) {
      expect(() => requireImageShape('avg-pool2d', shape)).toThrow(ShapeError);
      expect(() => requireImageShape('avg-pool2d', shape)).toThrow('layer (avg-pool2d): expected input [channels, height, width] (3-D)');
    }
    expect(() => requireImageShape('conv2d', [3, 32, 32, 1])).toThrow('use model.input [1, 28, 28]');
    expect(() => requireImageShape('conv2d', [1024])).toThrow('add { type: reshape, shape: [1, 32, 32] } before it');
  });

  it('builds schemas with and without defaults', () => {
    expect(sizePairSchema('Kernel.')).not.toHaveProperty('default');
    expect(sizePairSchema('Stride.', 1)).toMatchObject({ default: 1, minimum: 1, minItems: 2, maxItems: 2 });
    expect(sizePairSchema('Padding.', [0, 0], 0)).toMatchObject({ default: [0, 0], minimum: 0, items: { minimum: 0 } });
    expect(paddingSchema('Padding.')).toMatchObject({ default: 'valid' });
    expect(paddingSchema('Padding.', 'same')).toMatchObject({ default: 'same' });
  });
});
