import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../builtins.js';
import { RunnerError } from '../exit-codes.js';
import { parseDataFlag } from './data-flag.js';

const registry = createBuiltinRegistry();
registry.freeze();

describe('parseDataFlag', () => {
  it('fills options in schema order from TYPE:VALUE,VALUE', () => {
    expect(parseDataFlag('txt32:digits32/testDigits', registry)).toMatchObject({ type: 'txt32', dir: 'digits32/testDigits' });
    expect(parseDataFlag('idx:a-images,a-labels', registry)).toMatchObject({ type: 'idx', images: 'a-images', labels: 'a-labels' });
    expect(parseDataFlag('mnist:test', registry)).toMatchObject({ type: 'mnist', split: 'test' });
    expect(parseDataFlag('mnist', registry)).toMatchObject({ type: 'mnist', split: 'train' });
  });

  it('takes key=value items and YAML mappings', () => {
    expect(parseDataFlag('sklearn-digits-json:d.json,skip=1500,take=10', registry)).toMatchObject({
      type: 'sklearn-digits-json',
      path: 'd.json',
      skip: 1500,
      take: 10,
    });
    expect(parseDataFlag('{type: mnist, split: test, take: 5}', registry)).toMatchObject({ type: 'mnist', split: 'test', take: 5 });
  });

  it('reports bad values, too many values and unknown types as usage errors', () => {
    const message = (text: string): string => {
      try {
        parseDataFlag(text, registry);
      } catch (error) {
        if (error instanceof RunnerError && error.exitCode === 2) return error.message;
        throw error;
      }
      throw new Error('expected a usage error');
    };
    expect(message('mnist:validation')).toContain('--data mnist:validation: --data.split');
    expect(message('txt32:a,b,c')).toContain('txt32 takes at most 2 values (dir, split); "c" is one too many');
    expect(message('txt32:a,test')).toContain('split is not allowed together with "dir"');
    expect(parseDataFlag('txt32:split=test', registry)).toEqual({ type: 'txt32', split: 'test' });
    expect(message('txt3:a')).toContain('Did you mean "txt32"?');
  });
});
