import { ConfigError } from '@scratchnet/spec';
import { type Backend, Tensor, createJsBackend, createRng, createWasmBackend } from '@scratchnet/tensor';
import { checkLossGradients, optionsWithDefaults } from '@scratchnet/testkit';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { evaluate, round } from './test-helpers.js';

describe('softmax-cross-entropy', () => {
  it('is the batch mean of -log softmax(z)[label], with gradient (softmax - onehot)/n', () => {
    // row 1: z = [0, ln 3] -> softmax [1/4, 3/4], label 1 -> -ln(3/4) = 0.287682072452
    // row 2: z = [ln 2, ln 2] -> softmax [1/2, 1/2], label 0 -> ln 2 = 0.693147180560
    // loss = (0.287682072452 + 0.693147180560) / 2 = 0.490414626506
    const { value, grad, loss, predictions } = evaluate(softmaxCrossEntropy, {}, [[0, Math.log(3)], [Math.log(2), Math.log(2)]], [1, 0]);
    expect(value).toBeCloseTo(0.490414626506, 11);
    // ([1/4, 3/4] - [0, 1]) / 2 = [0.125, -0.125]; ([1/2, 1/2] - [1, 0]) / 2 = [-0.25, 0.25]
    expect(round(grad)).toEqual([0.125, -0.125, -0.25, 0.25]);
    expect(round([...loss.probabilities(predictions).data])).toEqual([0.25, 0.75, 0.5, 0.5]);
  });

  it('smooths labels when asked: target (1 - ε) * onehot + ε / K', () => {
    // ε = 0.1, K = 2: row 1 target [0.05, 0.95] -> -(0.05 ln 1/4 + 0.95 ln 3/4) = 0.342612686885
    // row 2 target [0.95, 0.05] on [1/2, 1/2] -> ln 2 = 0.693147180560; mean 0.517879933723
    const rows = [[0, Math.log(3)], [Math.log(2), Math.log(2)]];
    const { value, grad } = evaluate(softmaxCrossEntropy, { labelSmoothing: 0.1 }, rows, [1, 0]);
    expect(value).toBeCloseTo(0.517879933723, 11);
    // ([1/4, 3/4] - [0.05, 0.95]) / 2 = [0.1, -0.1]; ([1/2, 1/2] - [0.95, 0.05]) / 2 = [-0.225, 0.225]
    expect(round(grad)).toEqual([0.1, -0.1, -0.225, 0.225]);
  });

  it('stays finite and exact for logits of +-1e4', () => {
    // log-sum-exp of [1e4, -1e4, 0] is 1e4 (the other terms underflow), so -log p[1] = 2e4
    const wrong = evaluate(softmaxCrossEntropy, {}, [[1e4, -1e4, 0]], [1]);
    expect(wrong.value).toBe(2e4);
    expect(round(wrong.grad)).toEqual([1, -1, 0]);
    const right = evaluate(softmaxCrossEntropy, {}, [[1e4, -1e4, 0]], [0]);
    expect(right.value).toBe(0);
    expect(round(right.grad)).toEqual([0, 0, 0]);
    const smoothed = evaluate(softmaxCrossEntropy, { labelSmoothing: 0.1 }, [[-1e4, 1e4]], [1]);
    expect(Number.isFinite(smoothed.value)).toBe(true);
    // target [0.05, 0.95]: loss = 0.05 * 2e4 + 0.95 * 0 = 1000
    expect(smoothed.value).toBeCloseTo(1000, 9);
  });

  it('passes the gradient check over 3 seeds, with and without label smoothing', () => {
    const plain = checkLossGradients(softmaxCrossEntropy, {}, { classes: 10, batch: 4, seeds: [1, 2, 3] });
    expect(plain.checked).toBe(3 * 4 * 10);
    expect(plain.maxRelativeError).toBeLessThan(1e-6);
    const smoothed = checkLossGradients(softmaxCrossEntropy, { labelSmoothing: 0.2 }, { classes: 5, seeds: [1, 2, 3] });
    expect(smoothed.maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('softmax-cross-entropy on the fused kernel', () => {
  const create = (backend: Backend, labelSmoothing = 0) =>
    softmaxCrossEntropy.create(optionsWithDefaults(softmaxCrossEntropy, { labelSmoothing }), { backend });
  const random = (backend: Backend, rows: number, columns: number, seed: number, dtype: 'float32' | 'float64' = 'float32') => {
    const rng = createRng(seed);
    const x = backend.zeros([rows, columns], dtype);
    for (let i = 0; i < x.size; i++) x.data[i] = rng.uniform(-6, 6);
    return { x, labels: Uint8Array.from({ length: rows }, () => rng.int(columns)) };
  };

  /** The definition in float64, one term at a time: mean of -Σ q log p, and (p - q) / n. */
  function naive(x: Tensor, labels: ArrayLike<number>, smoothing: number) {
    const [n, k] = [x.rows, x.columns];
    let loss = 0;
    const grad: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = Array.from(x.data.subarray(i * k, (i + 1) * k));
      const total = row.reduce((t, v) => t + Math.exp(v), 0);
      row.forEach((v, c) => {
        const q = (1 - smoothing) * (c === labels[i] ? 1 : 0) + smoothing / k;
        loss -= (q * (v - Math.log(total))) / n;
        grad.push((Math.exp(v) / total - q) / n);
      });
    }
    return { loss, grad };
  }

  it('gives the definition on the JS and wasm backends in float32', () => {
    for (const backend of [createJsBackend(), createWasmBackend()]) {
      for (const smoothing of [0, 0.1]) {
        const { x, labels } = random(backend, 64, 10, 5);
        const result = create(backend, smoothing).forward(x, labels);
        const expected = naive(x, labels, smoothing);
        expect(result.loss).toBeCloseTo(expected.loss, 12);
        const grad = result.backward();
        expect(grad.dtype).toBe('float32');
        grad.data.forEach((g, i) => expect(g).toBeCloseTo(expected.grad[i]!, 8));
      }
    }
  });

  it('reuses two gradient buffers: the wasm memory stops growing after the first steps', () => {
    const backend = createWasmBackend();
    const loss = create(backend, 0.1);
    const { x, labels } = random(backend, 64, 10, 6);
    const grads = [0, 1].map(() => loss.forward(x, labels).backward());
    const bytes = backend.workspaceBytes;
    for (let step = 2; step < 50; step++) expect(loss.forward(x, labels).backward()).toBe(grads[step % 2]);
    expect(backend.workspaceBytes).toBe(bytes);
  });

  it('keeps a gradient intact through later forwards until another is handed out', () => {
    const backend = createJsBackend();
    const loss = create(backend, 0.2);
    const { x, labels } = random(backend, 5, 4, 7, 'float64');
    const held = loss.forward(x, labels).backward();
    const expected = [...held.data];
    const other = random(backend, 5, 4, 8, 'float64');
    for (let i = 0; i < 3; i++) loss.forward(other.x, other.labels);
    expect([...held.data]).toEqual(expected);
  });

  it('recomputes the gradient of a result whose buffer a later forward reused', () => {
    const backend = createJsBackend();
    const loss = create(backend);
    const first = random(backend, 3, 4, 9, 'float64');
    const second = random(backend, 3, 4, 10, 'float64');
    const early = loss.forward(first.x, first.labels);
    const late = loss.forward(second.x, second.labels);
    const lateGrad = late.backward();
    const earlyGrad = early.backward();
    expect(earlyGrad).not.toBe(lateGrad);
    expect(round([...earlyGrad.data])).toEqual(round(naive(first.x, first.labels, 0).grad));
    expect(round([...lateGrad.data])).toEqual(round(naive(second.x, second.labels, 0).grad));
  });

  it('takes labels as a plain array, Uint8Array or Int32Array alike, and checks them first', () => {
    const loss = create(createJsBackend());
    const x = Tensor.from([2, 3], [1, 2, 3, 3, 2, 1]);
    const values = [...[[2, 0], Uint8Array.of(2, 0), Int32Array.of(2, 0)].map((labels) => loss.forward(x, labels).loss)];
    expect(new Set(values).size).toBe(1);
    expect(() => loss.forward(x, [0, 3])).toThrow(ConfigError);
    expect(() => loss.forward(x, [0, 3])).toThrow(
      'loss (softmax-cross-entropy): label 3 (sample 1) is not a class index in [0, 3) of the 3-column predictions.',
    );
    expect(() => loss.forward(x, [0])).toThrow(
      new RangeError('loss (softmax-cross-entropy): predictions have 2 rows but 1 labels were given; pass one label per row.'),
    );
  });
});
