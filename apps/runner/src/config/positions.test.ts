import { describe, expect, it } from 'vitest';
import { locate } from './positions.js';
import { parseYamlSource } from './yaml-source.js';

const text = `name: demo
model:
  input: [784]
  layers:
    - { type: dense, units: 30 }
    - relu
    - type: dense
      units: 0
defaults: &shared
  epochs: 3
training: *shared
`;

const where = (path: (string | number)[]) => {
  const source = parseYamlSource(text, 'x.yaml');
  return locate(source.doc, source.lineCounter, path);
};

describe('locate', () => {
  it('points at the key of a map entry', () => {
    expect(where(['name'])).toEqual({ line: 1, col: 1 });
    expect(where(['model', 'input'])).toEqual({ line: 3, col: 3 });
  });

  it('points at sequence items, in block and flow style', () => {
    expect(where(['model', 'layers', 0])).toEqual({ line: 5, col: 7 });
    expect(where(['model', 'layers', 0, 'units'])).toEqual({ line: 5, col: 22 });
    expect(where(['model', 'layers', 1])).toEqual({ line: 6, col: 7 });
    expect(where(['model', 'layers', 2, 'units'])).toEqual({ line: 8, col: 7 });
  });

  it('falls back to the deepest existing node for a path the file does not have', () => {
    expect(where(['model', 'layers', 1, 'slope'])).toEqual({ line: 6, col: 7 });
    expect(where(['model', 'layers', 7])).toEqual({ line: 4, col: 3 });
    expect(where(['loss'])).toEqual({ line: 1, col: 1 });
    expect(where([])).toEqual({ line: 1, col: 1 });
  });

  it('follows aliases', () => {
    expect(where(['training', 'epochs'])).toEqual({ line: 10, col: 3 });
  });

  it('follows merge keys: own keys first, then the merged maps in order', () => {
    const merged = `a: &a { x: 1, y: 1 }
b: &b { y: 2, z: 2 }
c:
  <<: [*a, *b]
  x: 3
`;
    const source = parseYamlSource(merged, 'm.yaml');
    const at = (path: string[]) => locate(source.doc, source.lineCounter, path);
    expect(at(['c', 'x'])).toEqual({ line: 5, col: 3 });
    expect(at(['c', 'y'])).toEqual({ line: 1, col: 15 });
    expect(at(['c', 'z'])).toEqual({ line: 2, col: 15 });
    // A key no map has: the map itself, as for any missing key.
    expect(at(['c', 'w'])).toEqual({ line: 3, col: 1 });
  });
});
