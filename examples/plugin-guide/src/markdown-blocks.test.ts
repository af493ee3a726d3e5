import { describe, expect, it } from 'vitest';
import { type CodeBlock, codeBlocks, projectFiles } from './markdown-blocks.js';

describe('codeBlocks', () => {
  it('reads the language, the attributes and the content of each fenced block', () => {
    const markdown = [
      '# Title',
      '',
      '```ts file=src/a.ts',
      'const a = 1;',
      '```',
      '```ts file=x``` is inline code, not a fence.',
      '~~~~json file=package.json other',
      '```',
      '{}',
      '~~~~',
      '```',
      'plain',
      '```',
    ].join('\n');
    expect(codeBlocks(markdown)).toEqual([
      { lang: 'ts', attributes: { file: 'src/a.ts' }, code: 'const a = 1;\n', line: 3 },
      { lang: 'json', attributes: { file: 'package.json' }, code: '```\n{}\n', line: 7 },
      { lang: '', attributes: {}, code: 'plain\n', line: 11 },
    ]);
  });

  it('removes the indentation of an indented fence and runs an unclosed block to the end', () => {
    expect(codeBlocks('  ```sh\n  npm test\n    nested\n')).toEqual([{ lang: 'sh', attributes: {}, code: 'npm test\n  nested\n', line: 1 }]);
  });
});

describe('projectFiles', () => {
  const block = (lang: string, file: string | undefined, line: number): CodeBlock => ({
    lang,
    attributes: file === undefined ? {} : { file },
    code: `// ${line}\n`,
    line,
  });

  it('turns every block with file= into a file', () => {
    const { files, problems } = projectFiles([block('ts', 'src/a.ts', 1), block('sh', undefined, 5), block('json', 'package.json', 9)]);
    expect(problems).toEqual([]);
    expect(files).toEqual([
      { path: 'src/a.ts', content: '// 1\n', line: 1 },
      { path: 'package.json', content: '// 9\n', line: 9 },
    ]);
  });

  it('reports a ts block without a file, a file given twice and a path outside the project', () => {
    const { problems } = projectFiles([block('ts', undefined, 3), block('ts', 'a.ts', 7), block('ts', 'a.ts', 9), block('yaml', '../x.yaml', 12)]);
    expect(problems).toEqual([
      'line 3: a ts block without file=PATH; say which file of the example package it is.',
      'line 9: file=a.ts is already the block at line 7; a file has one block.',
      'line 12: file=../x.yaml must be a relative path inside the example package.',
    ]);
  });
});
