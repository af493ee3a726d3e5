import { describe, expect, it } from 'vitest';
import { type Backend, type Tensor, createJsBackend } from '@scratchnet/tensor';
import { createLayerBuffers } from './layer-buffers.js';

function countingBackend(): { backend: Backend; made: Tensor[] } {
  const inner = createJsBackend();
  const made: Tensor[] = [];
  const backend: Backend = {
    ...inner,
    zeros(shape, dtype) {
      const tensor = inner.zeros(shape, dtype);
      made.push(tensor);
      return tensor;
    },
  };
  return { backend, made };
}

describe('createLayerBuffers', () => {
  it('hands out one tensor per key, shape and dtype, also when batch sizes alternate', () => {
    const { backend, made } = countingBackend();
    const buffers = createLayerBuffers(backend);
    const full = buffers.get('output', [4, 3], 'float32');
    const grad = buffers.get('inputGrad', [4, 3], 'float32');
    expect(grad).not.toBe(full);
    const last = buffers.get('output', [2, 3], 'float32');
    expect(last.shape).toEqual([2, 3]);
    // Epoch after epoch: full batches, then the last one, each size getting its own tensor back.
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(buffers.get('output', [4, 3], 'float32')).toBe(full);
      expect(buffers.get('output', [2, 3], 'float32')).toBe(last);
    }
    const double = buffers.get('output', [4, 3], 'float64');
    expect(double.dtype).toBe('float64');
    expect(buffers.get('output', [4, 3], 'float32')).toBe(full);
    expect(made).toHaveLength(4);
  });

  it('keeps the buffers of two instances apart', () => {
    const { backend } = countingBackend();
    const a = createLayerBuffers(backend);
    const b = createLayerBuffers(backend);
    expect(a.get('output', [1], 'float32')).not.toBe(b.get('output', [1], 'float32'));
  });
});
