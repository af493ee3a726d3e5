import { describe, expect, it } from 'vitest';
import { RunnerError } from '../exit-codes.js';
import { caretExcerpt, documentValue, parseYamlSource } from './yaml-source.js';

function syntaxError(text: string): RunnerError {
  try {
    parseYamlSource(text, 'configs/x.yaml');
  } catch (error) {
    if (error instanceof RunnerError) return error;
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('parseYamlSource', () => {
  it('parses a document and keeps node ranges', () => {
    const source = parseYamlSource('name: a\nseed: 1\n', 'x.yaml');
    expect(source.doc.toJS()).toEqual({ name: 'a', seed: 1 });
    expect(source.lineCounter.linePos(8)).toEqual({ line: 2, col: 1 });
  });

  it('reports an alias bomb as a config error at its first alias, not an internal error', () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    let previous = 'a';
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`);
      previous = name;
    }
    const source = parseYamlSource(`${lines.join('\n')}\nname: bomb\n`, 'configs/x.yaml');
    const error = (() => {
      try {
        documentValue(source);
      } catch (thrown) {
        if (thrown instanceof RunnerError) return thrown;
        throw thrown;
      }
      throw new Error('expected a config error');
    })();
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^configs\/x\.yaml:2:8 YAML aliases here expand into far more values than a config can hold/);
    // A few aliases are fine.
    expect(documentValue(parseYamlSource('a: &a 1\nb: *a\n', 'x.yaml'))).toEqual({ a: 1, b: 1 });
  });

  it('reports a syntax error with file:line:col and a caret under the spot', () => {
    const error = syntaxError('name: a\nmodel:\n  input: [784\n');
    expect(error.exitCode).toBe(2);
    const [first, ...excerpt] = error.message.split('\n');
    expect(first).toMatch(/^configs\/x\.yaml:\d+:\d+ YAML syntax error: /);
    expect(excerpt.join('\n')).toContain('| ');
    expect(excerpt.at(-1)).toMatch(/\^$/);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const error = syntaxError('seed: 1\nname: a\nseed: 2\n');
    expect(error.message.split('\n')[0]).toMatch(/^configs\/x\.yaml:3:1 YAML syntax error: Map keys must be unique/);
  });

  it('refuses a second document (exit 2) at the line where it starts, saying a config holds one', () => {
    const error = syntaxError('name: a\n# comment\n--- # second\nname: b\n');
    expect(error.exitCode).toBe(2);
    expect(error.message.split('\n')[0]).toMatch(/^configs\/x\.yaml:3:1 a second YAML document starts here, but a config file holds one document\./);
    expect(error.message).not.toContain('parseAllDocuments');
  });

  it('draws the excerpt with the previous line and a caret at the column', () => {
    expect(caretExcerpt('a: 1\nb: [\n', 2, 4)).toBe('  1 | a: 1\n  2 | b: [\n    |    ^');
  });
});
