import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README example', () => {
  it('is the code of test-readme-example.ts, which runs and learns', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const source = readFileSync(new URL('./test-readme-example.ts', import.meta.url), 'utf8');
    const marked = /\/\/ README:start\n([\s\S]*?)\/\/ README:end\n/.exec(source)?.[1];
    expect(marked).toBeDefined();
    expect(block).toBe(marked!.replace("from './index.js'", "from '@scratchnet/train'"));

    const example = await import('./test-readme-example.js');
    expect(example.result.status).toBe('completed');
    expect(example.accuracy).toBeGreaterThan(0.9);
    expect(example.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(example.count);
    expect([...example.classes]).toEqual([...example.labels.subarray(0, 8)]);
    expect(example.probabilities.shape).toEqual([8, 2]);
    expect(example.trainLosses).toHaveLength(20);
    expect(example.trainLosses.at(-1)).toBeLessThan(example.trainLosses[0]!);
  });
});
