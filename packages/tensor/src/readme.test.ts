import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { expect, it } from 'vitest';
import * as tensor from './index.js';

/**
 * Runs the README example against the package's own exports and checks each
 * `console.log(...); // expected` line prints what its comment says.
 */
it('README example runs and prints what it documents', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const importLine = /^import \{([^}]*)\} from '@scratchnet\/tensor';\n/m.exec(code!);
  expect(importLine).not.toBeNull();
  const names = importLine![1]!.split(',').map((name) => name.trim());
  const body = code!.replace(importLine![0], '');
  // The example is type-annotation free, so it runs as JavaScript.
  const printed: string[] = [];
  const fakeConsole = { log: (...args: unknown[]) => printed.push(format(...args)) };
  const exports = tensor as Record<string, unknown>;
  new Function('console', ...names, body)(fakeConsole, ...names.map((name) => exports[name]));
  const expected = [...body.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1]);
  expect(expected.length).toBeGreaterThan(0);
  expect(printed).toEqual(expected);
});
