import { describe, expect, it } from 'vitest';
import { checkSeededCases } from './check-cases.js';

const spec = (failOn: (value: number) => boolean) => ({
  name: 'demo',
  count: 5,
  firstSeed: 10,
  generate: (rng: { next(): number }) => rng.next(),
  check(value: number) {
    if (failOn(value)) throw new Error(`value ${value.toFixed(3)} is too large\nsecond line`);
    return { maxRelativeError: value / 10, checked: 2 };
  },
  describe: (value: number) => `value ${value.toFixed(3)}`,
  replay: (_value: number, seed: number) => `demo(${seed})`,
});

describe('checkSeededCases', () => {
  it('runs every case from its own seed and sums the reports', () => {
    const summary = checkSeededCases(spec(() => false));
    expect(summary.cases).toHaveLength(5);
    expect(summary.checked).toBe(10);
    expect(summary.maxRelativeError).toBe(Math.max(...summary.cases) / 10);
    expect(checkSeededCases(spec(() => false)).cases).toEqual(summary.cases);
  });

  it('lists each failing case with its seed, description, replay call and error', () => {
    const { cases } = checkSeededCases(spec(() => false));
    const threshold = [...cases].sort()[2]!;
    const failing = cases.map((value, i) => [value, i] as const).filter(([value]) => value > threshold);
    expect(() => checkSeededCases(spec((value) => value > threshold))).toThrow(
      [
        `gradient property (demo): ${failing.length} of 5 generated cases failed (seeds 10..14):`,
        ...failing.flatMap(([value, i]) => [
          `  case ${i}, seed ${10 + i}: value ${value.toFixed(3)}`,
          `    replay: demo(${10 + i})`,
          `    value ${value.toFixed(3)} is too large`,
          '    second line',
        ]),
      ].join('\n'),
    );
  });
});
