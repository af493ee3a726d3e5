import standaloneCode from 'ajv/dist/standalone/index.js';
import { createAjv } from './ajv.js';
import type { SchemaCompiler } from './schema-compiler.js';

/**
 * The source of an ES module exporting `validators`: for every schema compiled while `build`
 * makes its registries (it passes `compile` to createRegistry and registers plugins), ajv's
 * standalone (precompiled) validator and the schema text it was made from. A page imports it and
 * makes the same registries with `compile: precompiledCompiler(validators)`, so validation runs
 * in the browser without run-time code generation. The module
 * imports nothing: the built-in schemas need none of ajv's run-time helpers (a schema that does,
 * e.g. through `uniqueItems` on objects, is refused here rather than failing in the browser).
 */
export function standaloneValidators(build: (compile: SchemaCompiler) => unknown): string {
  const ajv = createAjv({ source: true, esm: true });
  const made: { key: string; schema: string }[] = [];
  const compile: SchemaCompiler = (schema, key) => {
    const name = `v${made.length}`;
    ajv.addSchema(schema, name);
    const validate = ajv.getSchema(name);
    if (validate === undefined) throw new Error(`standaloneValidators: ajv lost schema ${key}`);
    made.push({ key, schema: JSON.stringify(schema) });
    return validate;
  };
  build(compile);
  const code = standaloneCode.default(ajv, Object.fromEntries(made.map((_, i) => [`v${i}`, `v${i}`])));
  const helper = /\b(?:require\(|import\b[^;]*\bfrom\b)/.exec(code.replace(/^"use strict";/, ''));
  if (helper !== null) throw new Error(`standaloneValidators: the validators need ajv's run-time helpers (${helper[0]}...), which a page cannot import`);
  const entries = made.map(({ key, schema }, i) => `  ${JSON.stringify(key)}: { validate: v${i}, schema: ${JSON.stringify(schema)} },`);
  return `${code}\nexport const validators = {\n${entries.join('\n')}\n};\n`;
}
