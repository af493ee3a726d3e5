import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('imports only names the package exports', () => {
    const imports = [...readme.matchAll(/import \{([^}]+)\} from '@scratchnet\/report'/g)].flatMap((m) =>
      m[1]!.split(',').map((name) => name.trim()).filter((name) => name !== '' && !name.startsWith('type ')),
    );
    expect(imports.length).toBeGreaterThan(0);
    for (const name of imports) expect(api, name).toHaveProperty(name);
  });

  it('documents every runtime export in its API table, and nothing else', () => {
    const table = /## API\n\n([\s\S]*?)\n\n/.exec(readme)![1]!;
    const documented = [...table.matchAll(/^\| `([A-Za-z]+)/gm), ...table.matchAll(/, `([A-Za-z]+)\(/g)].map((m) => m[1]!);
    expect(new Set(documented)).toEqual(new Set(Object.keys(api)));
  });
});
