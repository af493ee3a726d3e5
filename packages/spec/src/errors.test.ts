import { describe, expect, it } from 'vitest';
import { createRng } from '@scratchnet/tensor';
import { ConfigError, formatPath, isScratchnetError, ShapeError } from './index.js';

describe('errors', () => {
  it('formats config paths the way configs are written', () => {
    expect(formatPath(['model', 'layers', 2, 'units'])).toBe('model.layers[2].units');
    expect(formatPath([])).toBe('(root)');
  });

  it('puts file:line:col before each config issue', () => {
    const error = new ConfigError(
      [{ path: ['model', 'layers', 2], plugin: 'dense', message: 'units must be an integer >= 1', line: 14, col: 7 }],
      'configs/x.yaml',
    );
    expect(error.message).toBe('configs/x.yaml:14:7 model.layers[2] (dense): units must be an integer >= 1');
    expect(isScratchnetError(error)).toBe(true);
    expect(isScratchnetError(new Error('x'))).toBe(false);
  });

  it('names layer, expected and actual shape', () => {
    const error = new ShapeError(1, 'dense', '[784]', '[64]', 'Fix model.input.');
    expect(error.code).toBe('SHAPE');
    expect(error.message).toBe('model.layers[1] (dense): expected input [784], got [64]. Fix model.input.');
  });

  it('resolves the tensor package from source in tests', () => {
    expect(createRng(1).next()).toBeGreaterThanOrEqual(0);
  });
});
