import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as spec from '@scratchnet/spec';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ConfigIssuesError } from './config/issues.js';

/**
 * No message may reach a user with a placeholder left in it: `expected {rows} rows` written where
 * a template was meant (the QMNIST f-string bug), or `'lr=${lr}'` in quotes instead of backticks.
 * Two nets: a scan of every string literal in the shipped sources, and every error class
 * rendered with sample values.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * `{name}`, `{row.count}`: format-style placeholders no JS string fills in. A leading digit is
 * left out because `{64}` in a string is a regular expression quantifier (schema patterns).
 */
const FORMAT_PLACEHOLDER = /\{[A-Za-z_][\w.]*\}/;

interface Finding {
  readonly where: string;
  readonly text: string;
}

/**
 * String literals and template parts in `source` that hold an unrendered placeholder. Regular
 * expression literals are not strings, so `/\d{2}/` is not flagged; `${x}` in a template is
 * substitution, not text, so only the literal parts around it are checked.
 */
function findPlaceholders(source: string, file: string): Finding[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const visit = (node: ts.Node): void => {
    const quoted = ts.isStringLiteral(node);
    if (quoted || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const text = (node as ts.LiteralLikeNode).text;
      if (FORMAT_PLACEHOLDER.test(text) || (quoted && text.includes('${'))) {
        const { line } = tree.getLineAndCharacterOfPosition(node.getStart(tree));
        findings.push({ where: `${file}:${line + 1}`, text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return findings;
}

/** Source files that ship or run (tests excluded: their fixtures may hold placeholders on purpose). */
function shippedSources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'generated', 'test'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...shippedSources(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !/^test-|\.d\.ts$|\.test\.ts$/.test(entry.name)) files.push(path);
  }
  return files;
}

function workspaceSources(): string[] {
  const files: string[] = [];
  for (const group of ['packages', 'apps', 'examples']) {
    for (const pkg of readdirSync(join(ROOT, group))) files.push(...shippedSources(join(ROOT, group, pkg, 'src')));
  }
  return [...files, ...shippedSources(join(ROOT, 'scripts'))];
}

// The sources scanned below are template literals with `\${` escaped, so that this file does
// not itself hold the mistakes it describes (and no-template-curly-in-string stays on here).
describe('findPlaceholders', () => {
  it('flags format placeholders in strings and templates, and ${} inside quotes', () => {
    const source = `throw new Error('expected {rows} rows');
const a = \`found {count} items in \${file}\`;
const b = "lr=\${lr}";
const c = \`\${x} then {y.z}\`;
`;
    expect(findPlaceholders(source, 'x.ts').map((f) => f.where)).toEqual(['x.ts:1', 'x.ts:2', 'x.ts:3', 'x.ts:4']);
  });

  it('leaves rendered templates, braces with spaces, empty braces and regular expressions alone', () => {
    const source = `const a = \`expected \${rows} rows\`;
const b = 'write { type: adam } or {}';
const c = /\\d{2}|a{1,3}/;
const d = '{"a":1}';
const e = { pattern: '^[0-9a-f]{64}$' };
`;
    expect(findPlaceholders(source, 'x.ts')).toEqual([]);
  });
});

describe('message templates', () => {
  it('no shipped source has a string with an unrendered placeholder', () => {
    const files = workspaceSources();
    // The scan must actually reach the sources: the spec errors and the runner at least.
    expect(files.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['packages/spec/src/errors.ts', 'apps/runner/src/main.ts']));
    const findings = files.flatMap((file) => findPlaceholders(readFileSync(file, 'utf8'), relative(ROOT, file)));
    expect(findings).toEqual([]);
  });
});

/** One instance of every error class @scratchnet/spec exports, built with ordinary values. */
const SAMPLES: Record<string, () => Error> = {
  ScratchnetError: () => new spec.ScratchnetError('CONFIG', 'plain message'),
  ConfigError: () => new spec.ConfigError([{ path: ['model', 'layers', 2, 'units'], plugin: 'dense', message: 'units must be an integer >= 1 (found 0)', line: 8, col: 22 }], 'x.yaml'),
  UnknownPluginError: () => new spec.UnknownPluginError('layer', 'dnese', ['dense', 'relu'], 'dense'),
  DuplicatePluginError: () => new spec.DuplicatePluginError('layer', 'dense', '@scratchnet/layers', './mine.js'),
  InvalidPluginError: () => new spec.InvalidPluginError('./mine.js', 'plugin "relu": kind must be one of layer, loss (found "layers").'),
  ShapeError: () => new spec.ShapeError(2, 'dense', '[*, 64]', '[*, 32]', 'Set model.input to [64].'),
  DataFormatError: () => new spec.DataFormatError({ file: 'train-images.idx', byteOffset: 16 }, '47040016 bytes', '47040015 bytes', 'The file is cut short.'),
  ModelFormatError: () => new spec.ModelFormatError('model/model.json', 'formatVersion 9 is newer than this runner reads (1).'),
  MissingPluginError: () => new spec.MissingPluginError('model/model.json', 'layer', 'acme/swish', { name: 'acme-plugins', version: '1.0.0', namespace: 'acme' }),
  DivergedError: () => new spec.DivergedError(3, 17, 'loss', 0.5),
};

/** Every class among the exports that is an Error (the list SAMPLES must cover). */
const errorClasses = Object.entries(spec)
  .filter(([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error)
  .map(([name]) => name)
  .sort();

describe('rendered error messages', () => {
  it('has a sample for every error class @scratchnet/spec exports', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(errorClasses);
  });

  const rendered: [string, string][] = [
    ...Object.entries(SAMPLES).map(([name, make]): [string, string] => [name, make().message]),
    ['MissingPluginError without a record', new spec.MissingPluginError('m.json', 'layer', 'acme/swish', undefined).message],
    ['DataFormatError at a line', new spec.DataFormatError({ file: 'a.csv', line: 3, col: 7 }, '65 columns', '64').message],
    ['DataFormatError at a JSON path', new spec.DataFormatError({ file: 'd.json', jsonPath: 'target[12]' }, 'an integer', '"x"').message],
    ['ConfigIssuesError', new ConfigIssuesError([{ path: ['seed'], message: 'seed must be an integer (found "a")', where: 'x.yaml:2:1' }]).message],
  ];

  it.each(rendered)('%s leaves no placeholder, undefined or [object Object] in its message', (_name, message) => {
    expect(message).not.toMatch(FORMAT_PLACEHOLDER);
    expect(message).not.toContain('${');
    expect(message).not.toMatch(/\bundefined\b|\[object Object\]/);
  });
});
