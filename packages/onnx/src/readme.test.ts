import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('imports only names the package exports', () => {
    const imports = [...readme.matchAll(/import \{([^}]+)\} from '@scratchnet\/onnx'/g)].flatMap((m) =>
      m[1]!.split(',').map((name) => name.trim()).filter((name) => name !== '' && !name.startsWith('type ')),
    );
    expect(imports.length).toBeGreaterThan(0);
    for (const name of imports) expect(api, name).toHaveProperty(name);
  });

  it('documents every runtime export in its API table, and nothing else', () => {
    const table = /## API\n\n([\s\S]*?)\n\n/.exec(readme)![1]!;
    const documented = [...table.matchAll(/^\| `([A-Za-z_]+)/gm)].map((m) => m[1]!);
    expect(new Set(documented)).toEqual(new Set(Object.keys(api)));
  });

  it('states the defaults the code has', () => {
    expect(api.DEFAULT_DECODE_LIMITS).toEqual({ maxBytes: 256 * 2 ** 20, maxTensorElements: 2 ** 26, maxDepth: 16 });
    expect(readme).toContain('`{ maxBytes: 256 MiB, maxTensorElements: 2^26, maxDepth: 16 }`');
  });
});
