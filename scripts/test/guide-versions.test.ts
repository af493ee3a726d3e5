import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUIDE, caretRange, rangesIn, releaseVersions, withRanges } from '../lib/guide-versions.mjs';

describe('docs/plugins.md', () => {
  it('declares the @scratchnet ranges of the versions the next release publishes', async () => {
    const guide = readFileSync(GUIDE, 'utf8');
    const versions = await releaseVersions();
    expect(rangesIn(guide).map(({ name }) => name)).toEqual(expect.arrayContaining(['@scratchnet/spec', '@scratchnet/tensor', '@scratchnet/testkit']));
    expect(() => withRanges(guide, versions)).not.toThrow();
    const stale = rangesIn(guide)
      .filter(({ name, range }) => range !== caretRange(versions.get(name)!))
      .map(({ name, range, line }) => `docs/plugins.md:${line}: ${name} ${range}, the next release is ${versions.get(name)}`);
    expect(stale, 'stale version ranges: run `node scripts/guide-versions.mjs`').toEqual([]);
  });
});

describe('caretRange', () => {
  it('covers the release line of a version from its first release', () => {
    expect(['0.2.0', '0.2.7', '1.4.2', '2.0.0-next.1', '0.0.3'].map(caretRange)).toEqual(['^0.2.0', '^0.2.0', '^1.4.0', '^2.0.0', '^0.0.3']);
  });
});

describe('withRanges', () => {
  const versions = new Map([
    ['@scratchnet/spec', '0.3.1'],
    ['@scratchnet/tensor', '1.2.0'],
  ]);

  it('rewrites JSON and command-line ranges of scratchnet packages, and nothing else', () => {
    const text = '"@scratchnet/spec": "^0.1.0",\n"@scratchnet/tensor":"^0.9.9"\nnpm i @scratchnet/spec@^0.1.0 vitest@^4.0.0\n"@scratchnet/spec": "workspace:^"\n';
    expect(withRanges(text, versions)).toBe(
      '"@scratchnet/spec": "^0.3.0",\n"@scratchnet/tensor":"^1.2.0"\nnpm i @scratchnet/spec@^0.3.0 vitest@^4.0.0\n"@scratchnet/spec": "workspace:^"\n',
    );
    expect(rangesIn(text)).toEqual([
      { name: '@scratchnet/spec', range: '^0.1.0', line: 1 },
      { name: '@scratchnet/tensor', range: '^0.9.9', line: 2 },
      { name: '@scratchnet/spec', range: '^0.1.0', line: 3 },
    ]);
  });

  it('refuses a package that is not published from this workspace', () => {
    expect(() => withRanges('"@scratchnet/nope": "^0.1.0"', versions)).toThrow('the guide names @scratchnet/nope');
  });
});
