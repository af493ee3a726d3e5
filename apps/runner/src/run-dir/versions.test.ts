import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packageVersions } from './versions.js';

describe('packageVersions', () => {
  it('names the runner, every @scratchnet package it runs with and Node, with their package.json versions', () => {
    const versions = packageVersions();
    const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const tensor = JSON.parse(readFileSync(new URL('../../../../packages/tensor/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(versions['@scratchnet/runner']).toBe(own.version);
    expect(versions['@scratchnet/tensor']).toBe(tensor.version);
    expect(versions['node']).toBe(process.version);
    expect(Object.values(versions)).not.toContain('unknown');
    expect(Object.keys(versions)).toHaveLength(11);
  });
});
