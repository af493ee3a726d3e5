import { Ajv2020 } from 'ajv/dist/2020.js';
import type { SchemaCompiler } from './schema-compiler.js';

export type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The one ajv configuration scratchnet uses. `strict` turns schema mistakes (unknown keywords,
 * `minimum` without a numeric `type`, required keys not in `properties`) into compile errors at
 * registration; `allErrors` lets a config report every problem at once; `useDefaults` fills
 * defaults into the validated copy; `verbose` gives each error its data and parent schema,
 * which the human messages are built from.
 */
export function createAjv(code?: { source: true; esm: true }): Ajv2020 {
  return new Ajv2020({ strict: true, allErrors: true, useDefaults: true, allowUnionTypes: true, verbose: true, ...(code === undefined ? {} : { code }) });
}

/** The default SchemaCompiler: one ajv instance per registry, compiling when a plugin registers. */
export function ajvCompiler(): SchemaCompiler {
  const ajv = createAjv();
  return (schema) => ajv.compile(schema);
}

export type Ajv = Ajv2020;
