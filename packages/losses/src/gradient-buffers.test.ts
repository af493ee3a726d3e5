import { Tensor, createJsBackend } from '@scratchnet/tensor';
import { describe, expect, it } from 'vitest';
import { GradientBuffers } from './gradient-buffers.js';

const logits = (rows: number, dtype: 'float32' | 'float64' = 'float32') => Tensor.zeros([rows, 10], dtype);

describe('GradientBuffers', () => {
  it('alternates between two buffers per shape once gradients are handed out', () => {
    const buffers = new GradientBuffers(createJsBackend());
    const x = logits(4);
    const seen: Tensor[] = [];
    for (let step = 0; step < 6; step++) {
      const slot = buffers.claim(x);
      expect(buffers.handOut(slot)).toBe(slot.grad);
      seen.push(slot.grad);
    }
    expect(new Set(seen).size).toBe(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(seen[2]).toBe(seen[0]);
    expect(seen[0]!.shape).toEqual([4, 10]);
  });

  it('never writes into the buffer last handed out, so it survives forwards without backward', () => {
    const buffers = new GradientBuffers(createJsBackend());
    const x = logits(4);
    const held = buffers.claim(x);
    expect(buffers.handOut(held)).toBe(held.grad);
    for (let i = 0; i < 3; i++) expect(buffers.claim(x).grad).not.toBe(held.grad);
    // Forwards without a backward keep reusing one buffer.
    const unread = [buffers.claim(x), buffers.claim(x)];
    expect(unread[0]!.grad).toBe(unread[1]!.grad);
  });

  it('reports a result whose buffer a later forward overwrote', () => {
    const buffers = new GradientBuffers(createJsBackend());
    const x = logits(4);
    const first = buffers.claim(x);
    const second = buffers.claim(x);
    expect(second.grad).toBe(first.grad);
    expect(buffers.handOut(second)).toBe(second.grad);
    expect(buffers.handOut(first)).toBeUndefined();
  });

  it('keeps a pair per shape and dtype', () => {
    const buffers = new GradientBuffers(createJsBackend());
    const a = buffers.claim(logits(4)).grad;
    const b = buffers.claim(logits(3)).grad;
    const c = buffers.claim(logits(4, 'float64')).grad;
    expect(b.shape).toEqual([3, 10]);
    expect(c.dtype).toBe('float64');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(buffers.claim(logits(4)).grad).toBe(a);
    expect(buffers.claim(Tensor.zeros([4, 2, 5])).grad.shape).toEqual([4, 2, 5]);
  });
});
