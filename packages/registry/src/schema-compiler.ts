import { InvalidPluginError, type JsonSchema } from '@scratchnet/spec';
import type { ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Turns a schema the registry built into a validator. `key` names it: `<kind>:<id>` for a
 * plugin's options, `experiment-envelope` for the experiment file's sections. The default
 * compiles with ajv at run time; a browser under a strict Content-Security-Policy (no
 * `unsafe-eval`) cannot, so it passes validators made ahead of time (see standaloneValidators).
 */
export type SchemaCompiler = (schema: JsonSchema, key: string) => ValidateFunction;

export interface RegistryOptions {
  /** How plugin schemas become validators (default: ajv, compiled when a plugin registers). */
  readonly compile?: SchemaCompiler;
}

/** One validator made ahead of time, with the schema text it was made from. */
export interface PrecompiledValidator {
  readonly validate: ValidateFunction;
  /** JSON.stringify of the schema: a plugin whose schema changed since is refused, not misvalidated. */
  readonly schema: string;
}

/**
 * A compiler that only looks validators up (no code generation, so no `new Function`): for
 * `createRegistry({ compile: precompiledCompiler(validators) })` with the `validators` map of a
 * module standaloneValidators() wrote for the same plugins.
 */
export function precompiledCompiler(validators: Readonly<Record<string, PrecompiledValidator>>): SchemaCompiler {
  return (schema, key) => {
    const found = Object.hasOwn(validators, key) ? validators[key] : undefined;
    if (found === undefined) {
      throw new InvalidPluginError(key, 'no precompiled validator for this plugin. Regenerate the validators module with standaloneValidators() for the same plugins.');
    }
    if (found.schema !== JSON.stringify(schema)) {
      throw new InvalidPluginError(key, 'the precompiled validator was made from a different options schema (another version of the plugin). Regenerate the validators module.');
    }
    return found.validate;
  };
}

/** The browser entry's default: no run-time compiler, and a message that says what to pass instead. */
export const noCompiler: SchemaCompiler = (_schema, key) => {
  throw new InvalidPluginError(
    key,
    'this build of @scratchnet/registry (the browser entry) compiles no schemas at run time, so it stays within a strict Content-Security-Policy. ' +
      'Pass createRegistry({ compile: precompiledCompiler(validators) }) with validators from standaloneValidators().',
  );
};
