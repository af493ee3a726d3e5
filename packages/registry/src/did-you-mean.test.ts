import { describe, expect, it } from 'vitest';
import { didYouMean, didYouMeanHint, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('dense', 'dense')).toBe(0);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('dnese', 'dense')).toBe(1);
    expect(editDistance('sigmiod', 'sigmoid')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('is symmetric', () => {
    expect(editDistance('optimizer', 'optimiser')).toBe(editDistance('optimiser', 'optimizer'));
    expect(editDistance('flaw', 'lawn')).toBe(2);
  });
});

describe('didYouMean', () => {
  const options = ['units', 'weightInit', 'biasInit', 'useBias'];

  it('suggests the closest candidate for a typo', () => {
    expect(didYouMean('unit', options)).toBe('units');
    expect(didYouMean('weightinit', options)).toBe('weightInit');
    expect(didYouMean('batch_size', ['epochs', 'batchSize'])).toBe('batchSize');
    expect(didYouMean('dnese', ['dense', 'dropout', 'relu'])).toBe('dense');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(didYouMean('momentum', options)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });

  it('matches an id whose namespace was left out', () => {
    expect(didYouMean('swish', ['acme/swish', 'relu'])).toBe('acme/swish');
    expect(didYouMean('swihs', ['acme/swish'])).toBe('acme/swish');
  });

  it('ignores case and prefers the earlier candidate on a tie', () => {
    expect(didYouMean('Dense', ['dense'])).toBe('dense');
    expect(didYouMean('ab', ['ac', 'ad'])).toBe('ac');
  });
});

describe('didYouMeanHint', () => {
  it('phrases the suggestion as a clause, or says nothing when none is close', () => {
    expect(didYouMeanHint('wsam', ['auto', 'js', 'wasm'])).toBe('; did you mean "wasm"?');
    expect(didYouMeanHint('gpu', ['auto', 'js', 'wasm'])).toBe('');
  });
});
