import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from './default-registry.js';

describe('createDefaultRegistry', () => {
  it('holds the built-in plugins of every model and training kind', () => {
    const registry = createDefaultRegistry();
    expect(registry.list('layer').map((p) => p.type)).toContain('dense');
    expect(registry.has('loss', 'softmax-cross-entropy')).toBe(true);
    expect(registry.has('optimiser', 'sgd')).toBe(true);
    expect(registry.has('schedule', 'inv')).toBe(true);
    expect(registry.has('initialiser', 'he-normal')).toBe(true);
    expect(registry.sourceOf('layer', 'dense')).toBe('@scratchnet/layers');
  });

  it('returns an independent registry on each call', () => {
    const first = createDefaultRegistry();
    first.freeze();
    const second = createDefaultRegistry();
    expect(() => second.register({ ...second.get('layer', 'relu'), type: 'relu-copy' }, 'test')).not.toThrow();
    expect(first.has('layer', 'relu-copy')).toBe(false);
  });
});
