import type { PluginRegistry } from '@scratchnet/spec';
import { registryWithCompiler } from './registry.js';
import { noCompiler, type RegistryOptions } from './schema-compiler.js';

/**
 * The browser entry's createRegistry: it never loads ajv (CommonJS, and it generates code with
 * `new Function`), so a page under `script-src 'self'` can use it. Pass
 * `{ compile: precompiledCompiler(validators) }`; without it, registering a plugin says so.
 */
export function createRegistry(options: RegistryOptions = {}): PluginRegistry {
  return registryWithCompiler(options.compile ?? noCompiler);
}
